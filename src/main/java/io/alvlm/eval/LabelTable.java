package io.alvlm.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** {@code labels.csv}: one {@link LabelRound} per arm, seed and round, appended as rounds finish. */
public final class LabelTable {
  public static final String CSV = "labels.csv";

  private LabelTable() {}

  static void append(Path dir, LabelRound r) throws IOException {
    Path f = dir.resolve(CSV);
    if (!Files.isRegularFile(f)) Files.writeString(f, String.join(",", LabelRound.COLUMNS) + "\n", StandardCharsets.UTF_8);
    Files.writeString(f, r.line() + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }

  /** The rows in {@code dir/labels.csv}, or none; a later row for the same arm, seed and round replaces an earlier one. */
  public static List<LabelRound> read(Path dir) throws IOException {
    Path f = dir.resolve(CSV);
    List<LabelRound> out = new ArrayList<>();
    if (!Files.isRegularFile(f)) return out;
    List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
    for (String l : lines.subList(1, lines.size())) {
      if (l.isBlank()) continue;
      LabelRound r = LabelRound.parse(l);
      out.removeIf(o -> o.arm().equals(r.arm()) && o.seed() == r.seed() && o.round() == r.round());
      out.add(r);
    }
    return out;
  }
}
