package io.alvlm.bench;

import io.alvlm.cli.Alvlm;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.alvlm.data.Fixtures;
import org.junit.jupiter.api.Test;

class ParityCommandTest {
  private static int parity(String... extra) {
    String[] args = new String[5 + extra.length];
    String[] base = {"parity", "--model", Fixtures.clipTinyModel().toString(), "--device", "cpu"};
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return Alvlm.commandLine().execute(args);
  }

  @Test
  void fp16OnTheCpuPassesItsBound() {
    assertEquals(0, parity("--dtype", "fp16"));
  }

  @Test
  void failsWhenTheErrorIsAboveTheBound() {
    assertEquals(1, parity("--dtype", "fp16", "--bound", "1e-9"));
  }

  @Test
  void relativeErrorIsTheWorstRow() {
    float[][] ref = {{1, 0}, {0, 2}};
    float[][] got = {{1, 0}, {0, 2.2f}};
    assertEquals(0.1, ParityCommand.largestRelativeError(got, ref), 1e-6);
  }
}
