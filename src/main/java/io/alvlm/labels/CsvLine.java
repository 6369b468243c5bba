package io.alvlm.labels;

import java.util.ArrayList;
import java.util.List;

/** One line of RFC 4180 CSV: fields split at commas outside double quotes, {@code ""} inside quotes is a quote. */
final class CsvLine {
  private CsvLine() {}

  static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder f = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          f.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          f.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        out.add(f.toString());
        f.setLength(0);
      } else {
        f.append(ch);
      }
    }
    out.add(f.toString());
    return out;
  }

  static String join(List<String> fields) {
    return String.join(",", fields.stream().map(CsvLine::quote).toList());
  }

  private static String quote(String s) {
    String v = s == null ? "" : s;
    return v.contains(",") || v.contains("\"") || v.contains("\n") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
  }
}
