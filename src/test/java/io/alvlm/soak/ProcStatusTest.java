package io.alvlm.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcStatusTest {
  @TempDir Path dir;

  @Test
  void readsThisJvmsResidentSetThreadsAndDescriptors() {
    ProcStatus s = ProcStatus.of(ProcessHandle.current().pid()).orElseThrow();
    long heapMib = Runtime.getRuntime().totalMemory() >> 20;
    assertTrue(s.rssMib() > 1 && s.rssMib() > heapMib / 4, "rss " + s.rssMib() + " MiB");
    assertTrue(s.threads() >= Thread.activeCount() / 2 && s.threads() > 1, "threads " + s.threads());
    assertTrue(s.fds() >= 3, "fds " + s.fds());
  }

  @Test
  void readsTheFieldsOfAStatusFile() throws Exception {
    Files.writeString(dir.resolve("status"), "Name:\tjava\nVmPeak:\t 9000 kB\nVmRSS:\t  204800 kB\nThreads:\t57\n");
    Files.createDirectories(dir.resolve("fd"));
    for (int i = 0; i < 4; i++) {
      Files.createFile(dir.resolve("fd").resolve(Integer.toString(i)));
    }
    assertEquals(Optional.of(new ProcStatus(204800, 57, 4)), ProcStatus.of(dir));
    assertEquals(200.0, ProcStatus.of(dir).orElseThrow().rssMib(), 1e-9);
  }

  @Test
  void aProcessThatIsGoneHasNoStatus() {
    assertEquals(Optional.empty(), ProcStatus.of(dir.resolve("no-such-pid")));
  }
}
