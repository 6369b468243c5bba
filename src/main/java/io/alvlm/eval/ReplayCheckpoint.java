package io.alvlm.eval;

import io.alvlm.data.Npy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What a replay of one strategy and seed needs to continue after an interruption, kept as plain
 * files under {@code <results>/state/}: {@code <strategy>-seed<s>.picks} (one line per round, the
 * pool rows picked, comma-separated) and {@code <strategy>-seed<s>.round<r>.npy}, the class
 * features trained after the last finished round (earlier rounds' files are removed), and
 * {@code <strategy>-seed<s>.labels.json}, the replay's labels and stopping rule after it.
 */
final class ReplayCheckpoint {
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper()
      .setVisibility(com.fasterxml.jackson.annotation.PropertyAccessor.FIELD, com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.ANY);
  private final Path dir;
  private final String base;

  ReplayCheckpoint(Path resultsDir, String strategy, long seed) throws IOException {
    this.dir = resultsDir.resolve("state");
    Files.createDirectories(dir);
    this.base = strategy.replaceAll("[^A-Za-z0-9._-]", "_") + "-seed" + seed;
  }

  /** Picks of the first {@code rounds} rounds; later lines (a round cut short) are dropped from the file. */
  List<int[]> picks(int rounds) throws IOException {
    Path f = picksFile();
    List<int[]> out = new ArrayList<>();
    if (Files.isRegularFile(f)) {
      for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
        if (out.size() == rounds) break;
        out.add(line.isBlank() ? new int[0] : Arrays.stream(line.split(",")).mapToInt(Integer::parseInt).toArray());
      }
    }
    if (out.size() < rounds) {
      throw new IOException(f + " holds picks of " + out.size() + " rounds but results.csv has " + rounds
          + " finished: the results folder is inconsistent; use a fresh --out");
    }
    List<String> keep = out.stream().map(ReplayCheckpoint::line).toList();
    Files.write(f, keep, StandardCharsets.UTF_8);
    return out;
  }

  void addPicks(int[] rows) throws IOException {
    Files.writeString(picksFile(), line(rows) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  /** The class features saved after {@code round}, when that file exists. */
  Optional<float[][]> classFeatures(int round) throws IOException {
    Path f = modelFile(round);
    if (!Files.isRegularFile(f)) return Optional.empty();
    Npy.FloatArray a = Npy.readFloats(f);
    float[][] out = new float[a.rows()][];
    for (int i = 0; i < out.length; i++) out[i] = Arrays.copyOfRange(a.data(), i * a.cols(), (i + 1) * a.cols());
    return Optional.of(out);
  }

  void saveClassFeatures(int round, float[][] features) throws IOException {
    Path tmp = dir.resolve(base + ".tmp.npy");
    Npy.writeMatrix(tmp, features);
    Files.move(tmp, modelFile(round), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The labels and stopping rule saved after the last finished round, when saved. */
  Optional<Saved> labels() throws IOException {
    Path f = labelsFile();
    if (!Files.isRegularFile(f)) return Optional.empty();
    return Optional.of(JSON.readValue(f.toFile(), Saved.class));
  }

  void saveLabels(Saved saved) throws IOException {
    Path tmp = dir.resolve(base + ".labels.tmp");
    JSON.writeValue(tmp.toFile(), saved);
    Files.move(tmp, labelsFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** A replay's labels and stopping rule after {@code round}. */
  record Saved(int round, LabelLedger.State ledger, io.alvlm.stopping.StoppingRule.Snapshot stop) {}

  private Path labelsFile() {
    return dir.resolve(base + ".labels.json");
  }

  /** Removes the class features of rounds before {@code round}. */
  void dropBefore(int round) throws IOException {
    for (int r = round - 1; r >= 1; r--) Files.deleteIfExists(modelFile(r));
  }

  private Path picksFile() {
    return dir.resolve(base + ".picks");
  }

  private Path modelFile(int round) {
    return dir.resolve(base + ".round" + round + ".npy");
  }

  private static String line(int[] rows) {
    return String.join(",", Arrays.stream(rows).mapToObj(String::valueOf).toList());
  }
}
