package io.alvlm.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PyTorch eager baseline of {@code bench coop}: runs {@code bench/coop_reference.py} (plain
 * torch, the same checkpoint, classes, batch and prompt length) for one prompt length and reads its
 * seconds per step, so alvlm and PyTorch are timed back to back in one run.
 */
final class CoopReference {
  private static final Pattern STEP = Pattern.compile("^s/step [^:]*: ([0-9.]+)$");

  private static final String ABOUT = "coop reference: ";

  private final Path script;
  private final String python;
  private final String tower;
  private String about = "";

  /** {@code tower}: {@code plain} (torch written out in the script) or {@code hf} (transformers' CLIPModel). */
  CoopReference(Path home, String python, String tower) {
    this.script = home.resolve("bench/coop_reference.py");
    this.python = python;
    if (!tower.equals("plain") && !tower.equals("hf")) {
      throw new IllegalArgumentException("reference tower must be plain or hf, not '" + tower + "'");
    }
    this.tower = tower;
    if (!Files.isRegularFile(script)) {
      throw new IllegalArgumentException(script + " not found: run from the repository (bin/alvlm sets alvlm.home)");
    }
  }

  /**
   * Seconds per step of the reference for the cut ({@code cut}) or the full 77-token prompts, on
   * {@code threads} intra-op threads (0: the script's default, all cores).
   */
  double secondsPerStep(Path model, int classes, int batch, int cutLength, int steps, int threads, boolean cut)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(python, script.toString(), model.toString(), "--classes",
        String.valueOf(classes), "--batch", String.valueOf(batch), "--cut-length", String.valueOf(cutLength), "--steps",
        String.valueOf(steps), "--only", cut ? "cut" : "full", "--tower", tower));
    if (threads > 0) cmd.addAll(List.of("--threads", String.valueOf(threads)));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    // the MKL shim bin/alvlm preloads is for the JVM's libtorch; the allocator (ALVLM_MALLOC) is kept,
    // so both sides run on the same one
    Preload.dropFrom(pb.environment(), Preload.MKL_SHIM);
    Process p = pb.start();
    Double seconds = null;
    StringBuilder out = new StringBuilder();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        out.append(line).append('\n');
        if (line.startsWith(ABOUT)) about = line.substring(ABOUT.length());
        Matcher m = STEP.matcher(line.strip());
        if (m.matches()) seconds = Double.parseDouble(m.group(1));
      }
    }
    int rc = p.waitFor();
    if (rc != 0 || seconds == null) {
      throw new IOException(python + " " + script + " exited " + rc + " without an s/step line:\n" + out);
    }
    return seconds;
  }

  /** What the reference ran on (implementation, torch version, threads), from its last run's first line. */
  String about() {
    return about;
  }

  /** The 1-minute load average, for the figures' context ({@code ?} where /proc is absent). */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }
}
