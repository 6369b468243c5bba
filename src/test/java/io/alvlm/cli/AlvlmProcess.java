package io.alvlm.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * alvlm in a fresh JVM, as a user runs it: {@link #jar} starts the built jar as {@code bin/alvlm}
 * would (without its build and allocator steps), {@link #launcher} runs {@code bin/alvlm} itself.
 * The test's own {@code ALVLM_*} variables are not passed on.
 */
public final class AlvlmProcess {
  /** The project's root: the tests run there. */
  public static final Path ROOT = Path.of("").toAbsolutePath();

  private AlvlmProcess() {}

  /** How a run ended, with what it printed on each stream. */
  public record Run(int exit, String out, String err) {
    /** The lines of standard error that are not blank. */
    public List<String> errLines() {
      return err.lines().filter(l -> !l.isBlank()).toList();
    }
  }

  public static Run jar(Path cwd, Map<String, String> env, List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-Dai.djl.offline=true", "-Dalvlm.home=" + ROOT, "-jar", ROOT.resolve("target/alvlm.jar").toString()));
    cmd.addAll(args);
    return start(cmd, cwd, env);
  }

  public static Run launcher(Path cwd, Map<String, String> env, List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("bin/alvlm").toString()));
    cmd.addAll(args);
    return start(cmd, cwd, Map.of("ALVLM_JAVA_OPTS", "-Xmx1g"), env);
  }

  @SafeVarargs
  private static Run start(List<String> cmd, Path cwd, Map<String, String>... envs) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("ALVLM_"));
    pb.environment().put("DJL_OFFLINE", "true");
    for (Map<String, String> env : envs) {
      pb.environment().putAll(env);
    }
    Path out = Files.createTempFile("alvlm-run", ".out");
    Path err = Files.createTempFile("alvlm-run", ".err");
    try {
      Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError(cmd + " still running after 5 minutes");
      }
      return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
