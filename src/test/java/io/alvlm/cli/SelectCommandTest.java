package io.alvlm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alvlm.data.Npy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code select}'s near-duplicate and cold-start options, as a user runs them. */
class SelectCommandTest {
  @TempDir Path dir;

  /** 60 rows in 4 directions, then 3 bursts of 10 near-copies of rows 0, 1 and 2. */
  private void pool() throws Exception {
    Random r = new Random(5);
    int d = 8, n = 90;
    float[] f = new float[n * d];
    for (int i = 0; i < 60; i++) {
      f[i * d + i % 4] = 1;
      f[i * d + (i + 1) % 4] = 0.9f; // between two classes: margin likes them
      for (int k = 0; k < d; k++) f[i * d + k] += (float) (0.3 * r.nextGaussian());
    }
    for (int i = 60; i < n; i++) {
      int src = (i - 60) / 10;
      for (int k = 0; k < d; k++) f[i * d + k] = f[src * d + k] + (float) (0.01 * r.nextGaussian());
    }
    float[] t = new float[4 * d];
    for (int c = 0; c < 4; c++) t[c * d + c] = 1;
    Npy.writeFloats(dir.resolve("f.npy"), f, n, d);
    Npy.writeFloats(dir.resolve("t.npy"), t, 4, d);
    Files.writeString(dir.resolve("labelled.txt"), "0\n");
  }

  private static double cos(float[] f, int d, int a, int b) {
    double ab = 0, aa = 0, bb = 0;
    for (int k = 0; k < d; k++) {
      ab += f[a * d + k] * f[b * d + k];
      aa += f[a * d + k] * f[a * d + k];
      bb += f[b * d + k] * f[b * d + k];
    }
    return ab / Math.sqrt(aa * bb);
  }

  private JsonNode select(String... extra) throws Exception {
    Path out = dir.resolve("out.json");
    String[] base = {"select", "--features", dir.resolve("f.npy").toString(), "--text", dir.resolve("t.npy").toString(),
        "--strategy", "margin", "--budget", "30", "--exclude", dir.resolve("labelled.txt").toString(), "--out", out.toString()};
    String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(extra)).toArray(String[]::new);
    assertEquals(0, Alvlm.commandLine().execute(args));
    return new ObjectMapper().readTree(out.toFile());
  }

  @Test
  void dedupCosineKeepsNearCopiesOutOfOneRound() throws Exception {
    pool();
    float[] f = Npy.readFloats(dir.resolve("f.npy")).data();
    JsonNode plain = select();
    int pairs = pairs(f, plain.get("selected"));
    assertTrue(pairs > 0, "margin alone picks copies");
    JsonNode dedup = select("--dedup-cosine", "0.97");
    assertEquals(0, pairs(f, dedup.get("selected")));
    assertEquals(30, dedup.get("selected").size());
    for (JsonNode r : dedup.get("selected")) assertTrue(cos(f, 8, r.asInt(), 0) < 0.97, "a copy of the labelled row 0");
    assertTrue(dedup.get("duplicates").size() > 0);
    JsonNode first = dedup.get("duplicates").get(0);
    assertTrue(first.get("cosine").asDouble() >= 0.97, first.toString());
  }

  private static int pairs(float[] f, JsonNode rows) {
    int n = 0;
    for (int i = 0; i < rows.size(); i++) {
      for (int j = i + 1; j < rows.size(); j++) if (cos(f, 8, rows.get(i).asInt(), rows.get(j).asInt()) >= 0.97) n++;
    }
    return n;
  }

  @Test
  void coldStartAppliesOnlyWithNothingLabelled() throws Exception {
    pool();
    Files.writeString(dir.resolve("labelled.txt"), "");
    assertEquals("typical", select("--cold-start", "typical").get("strategy").asText());
    Files.writeString(dir.resolve("labelled.txt"), "5\n");
    assertEquals("margin", select("--cold-start", "typical").get("strategy").asText());
  }

  @Test
  void aBadThresholdIsOneLineNamingIt() throws Exception {
    pool();
    PrintStream old = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = Alvlm.commandLine().execute("select", "--features", dir.resolve("f.npy").toString(), "--text",
          dir.resolve("t.npy").toString(), "--budget", "3", "--dedup-cosine", "1.3", "--out", dir.resolve("o.json").toString());
    } finally {
      System.setErr(old);
    }
    assertEquals(2, code);
    String msg = err.toString(StandardCharsets.UTF_8).strip();
    assertEquals("alvlm select: --dedup-cosine 1.3: want a cosine similarity in (0, 1] (alvlm select --help lists the options)", msg);
  }
}
