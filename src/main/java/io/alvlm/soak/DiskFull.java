package io.alvlm.soak;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A full disk under a process's state folder, made safely: a size-limited tmpfs mounted on that
 * folder before the process first starts (only as root, where {@code mount} works), filled with a
 * file to the last byte for a while, then emptied. Where the mount cannot be made, the fault is
 * skipped with one line saying so.
 */
final class DiskFull implements AutoCloseable {
  static final long SIZE_MIB = 256;
  static final Duration FULL_FOR = Duration.ofSeconds(20);
  private final Path dir;
  private final boolean mounted;
  private final String why;

  private DiskFull(Path dir, boolean mounted, String why) {
    this.dir = dir;
    this.mounted = mounted;
    this.why = why;
  }

  /** No full disk in this run's schedule: nothing mounted, nothing said. */
  static DiskFull none(Path dir) {
    return new DiskFull(dir, false, "not in this run's schedule");
  }

  /** Mounts a {@value #SIZE_MIB} MiB tmpfs on {@code dir} if this process may; otherwise a fault that is skipped. */
  static DiskFull mount(Path dir, PrintStream out) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    if (!"root".equals(System.getProperty("user.name"))) {
      return skipped(dir, "not running as root, so no tmpfs can be mounted on " + dir, out);
    }
    int rc = run(List.of("mount", "-t", "tmpfs", "-o", "size=" + SIZE_MIB + "m", "tmpfs", dir.toString()));
    if (rc != 0) {
      return skipped(dir, "mount -t tmpfs on " + dir + " failed (status " + rc + ")", out);
    }
    return new DiskFull(dir, true, null);
  }

  private static DiskFull skipped(Path dir, String why, PrintStream out) {
    out.println("soak: the disk-full fault will be skipped: " + why);
    return new DiskFull(dir, false, why);
  }

  /** Fills the disk for {@link #FULL_FOR}, frees it, and starts {@code p} again if it ended meanwhile. */
  String fill(Cluster cluster, SoakProcess p) throws IOException, InterruptedException {
    if (!mounted) {
      return "disk full skipped (" + why + ")";
    }
    cluster.hold(p.name, true);
    Path filler = dir.resolve("soak-filler");
    long written = 0;
    byte[] mib = new byte[1 << 20];
    try (OutputStream o = Files.newOutputStream(filler)) {
      while (true) {
        o.write(mib);
        written += mib.length;
      }
    } catch (IOException full) {
      // no space left on the device: the point
    }
    cluster.watch(FULL_FOR);
    Files.deleteIfExists(filler);
    String ended = "";
    if (!p.alive()) {
      ended = ", " + p.name + " ended under it (status " + p.exitStatus().getAsInt() + ") and was started again";
      p.start();
    }
    cluster.hold(p.name, false);
    return String.format(java.util.Locale.ROOT, "disk under %s's state full (%d MiB tmpfs, %d MiB filler) for %d s, freed%s",
        p.name, SIZE_MIB, written >> 20, FULL_FOR.toSeconds(), ended);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (mounted) {
      run(List.of("umount", "-l", dir.toString()));
    }
  }

  private static int run(List<String> cmd) throws IOException, InterruptedException {
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
  }
}
