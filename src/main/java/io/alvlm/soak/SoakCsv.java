package io.alvlm.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * A CSV file the soak writes as it runs: a fixed header, then plain comma-separated values (no quoting:
 * the soak writes only numbers and role names). Reading one checks the header word for word and each
 * value read, so that a malformed file is named by file, line and column instead of plotting garbage.
 */
final class SoakCsv {
  private final Path file;
  private final List<String> columns;
  private final List<String[]> rows;
  /** The file's line number of each row, for error messages. */
  private final List<Integer> lineNumbers;

  private SoakCsv(Path file, List<String> columns, List<String[]> rows, List<Integer> lineNumbers) {
    this.file = file;
    this.columns = columns;
    this.rows = rows;
    this.lineNumbers = lineNumbers;
  }

  /** Reads {@code file}, whose first line must be {@code header}; blank lines are skipped. */
  static SoakCsv read(Path file, String header) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty() || !lines.get(0).strip().equals(header)) {
      throw new IllegalArgumentException(file + ": header is \"" + (lines.isEmpty() ? "" : lines.get(0).strip())
          + "\", expected \"" + header + "\"");
    }
    List<String> columns = List.of(header.split(","));
    List<String[]> rows = new ArrayList<>();
    List<Integer> lineNumbers = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) continue;
      String[] cells = line.split(",", -1);
      if (cells.length != columns.size()) {
        throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + cells.length + " values, expected "
            + columns.size() + " (" + header + ")");
      }
      rows.add(cells);
      lineNumbers.add(i + 1);
    }
    return new SoakCsv(file, columns, rows, lineNumbers);
  }

  int size() {
    return rows.size();
  }

  String text(int row, String column) {
    return rows.get(row)[index(column)].strip();
  }

  /** A number that must be there. */
  double number(int row, String column) {
    return optionalNumber(row, column).orElseThrow(() -> bad(row, column, "is empty"));
  }

  /** A number that may be left empty (a role without a consumer group has no lag). */
  OptionalDouble optionalNumber(int row, String column) {
    String v = text(row, column);
    if (v.isEmpty()) return OptionalDouble.empty();
    try {
      double d = Double.parseDouble(v);
      if (Double.isFinite(d)) return OptionalDouble.of(d);
    } catch (NumberFormatException e) {
      // reported below with the place
    }
    throw bad(row, column, "\"" + v + "\" is not a number");
  }

  private int index(String column) {
    int i = columns.indexOf(column);
    if (i < 0) throw new IllegalArgumentException(file + ": no column " + column);
    return i;
  }

  private IllegalArgumentException bad(int row, String column, String what) {
    return new IllegalArgumentException(file + ":" + lineNumbers.get(row) + ": " + column + " " + what);
  }
}
