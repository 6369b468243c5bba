package io.alvlm.bench;

import io.alvlm.clip.ClipModel;
import io.alvlm.clip.Precision;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Tries the image tower in a reduced type on the CPU in a child JVM ({@code alvlm parity --device
 * cpu} on the tiny model), because bf16 arrays once aborted the JVM with DJL's PyTorch engine: a
 * crash there must not take the caller down.
 */
final class ReducedPrecisionProbe {
  private ReducedPrecisionProbe() {}

  /** The child JVM: {@code parity} with these arguments, its exit status the JVM's. */
  public static void main(String[] args) {
    System.exit(new picocli.CommandLine(new ParityCommand()).execute(args));
  }

  /** Null when {@code p} runs on the CPU within its parity bound, else why it is refused. */
  static String refusal(Precision p) throws IOException, InterruptedException {
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
        "-Dai.djl.offline=true", "-D" + ClipModel.TRY_BF16 + "=true", "-Dalvlm.home=" + System.getProperty("alvlm.home", "."), "-cp",
        System.getProperty("java.class.path"), ReducedPrecisionProbe.class.getName(), "--device", "cpu", "--dtype", p.label());
    Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = child.getInputStream().readAllBytes();
    if (!child.waitFor(300, TimeUnit.SECONDS)) {
      child.destroyForcibly();
      return p.label() + " on the CPU: the check in a child JVM did not finish in 300 s; use --dtype fp32";
    }
    String text = new String(out, StandardCharsets.UTF_8).strip();
    if (child.exitValue() == 0) {
      System.out.println("reduced type checked in a child JVM: " + text.lines().reduce((a, b) -> b).orElse(""));
      return null;
    }
    String tail = text.length() > 2000 ? text.substring(text.length() - 2000) : text;
    return p.label() + " on the CPU is refused: the check in a child JVM (alvlm parity --device cpu --dtype " + p.label()
        + ") exited " + child.exitValue() + (child.exitValue() >= 128 ? " (killed by signal " + (child.exitValue() - 128)
        + ": the engine aborted the JVM)" : "") + "; use --dtype fp32. Its output:\n" + tail;
  }
}
