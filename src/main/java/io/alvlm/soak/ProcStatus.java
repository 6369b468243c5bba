package io.alvlm.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What Linux says of a process in {@code /proc/PID}: its resident set ({@code VmRSS} of
 * {@code status}), its threads, and its open file descriptors (the entries of {@code fd}).
 */
record ProcStatus(long rssKib, int threads, int fds) {
  /** Empty when the process is gone (or this is no Linux). */
  static Optional<ProcStatus> of(long pid) {
    return of(Path.of("/proc", Long.toString(pid)));
  }

  static Optional<ProcStatus> of(Path proc) {
    try {
      long rss = -1;
      int threads = -1;
      for (String line : Files.readAllLines(proc.resolve("status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
        } else if (line.startsWith("Threads:")) {
          threads = Integer.parseInt(line.substring(8).trim());
        }
      }
      int fds;
      try (Stream<Path> s = Files.list(proc.resolve("fd"))) {
        fds = (int) s.count();
      }
      return rss < 0 || threads < 0 ? Optional.empty() : Optional.of(new ProcStatus(rss, threads, fds));
    } catch (IOException | RuntimeException e) {
      // the process ended between two reads, or it is a zombie without VmRSS
      return Optional.empty();
    }
  }

  double rssMib() {
    return rssKib / 1024.0;
  }
}
