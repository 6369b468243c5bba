package io.alvlm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class AbsentCommandTest {
  @Test
  void aBenchWhoseClassesCannotLoadStaysListedAndSaysWhatIsMissing() {
    Object absent = Commands.orAbsent("service", () -> {
      throw new NoClassDefFoundError("org/apache/kafka/common/serialization/Serializer");
    });
    assertInstanceOf(AbsentCommand.class, absent);
    CommandLine bench = new CommandLine(new Bench());
    bench.addSubcommand("service", absent);
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc;
    try (PrintStream capture = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      System.setErr(capture);
      rc = bench.execute("service", "--arch", "ViT-B/16");
    } finally {
      System.setErr(saved);
    }
    assertEquals(2, rc);
    String text = err.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("'service' needs org/apache/kafka/common/serialization/Serializer"), text);
    assertEquals(1, text.strip().lines().count(), text);
  }

  @Test
  void everyBenchOfAFullBuildIsTheRealOne() {
    Commands.benches().forEach((name, make) -> {
      Object command = Commands.orAbsent(name, make);
      assertTrue(!(command instanceof AbsentCommand), name);
      assertEquals(name, new CommandLine(command).getCommandName());
    });
  }
}
