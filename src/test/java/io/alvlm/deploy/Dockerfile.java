package io.alvlm.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Dockerfile's instructions (continuations joined, comments dropped), enough for static checks. */
record Dockerfile(Path file, List<Instruction> instructions) {
  record Instruction(String keyword, String args) {}

  static Dockerfile read(Path file) throws IOException {
    List<Instruction> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : Files.readAllLines(file)) {
      String t = line.strip();
      if (t.startsWith("#") || (t.isEmpty() && current.isEmpty())) {
        continue;
      }
      if (t.endsWith("\\")) {
        current.append(t, 0, t.length() - 1).append(' ');
        continue;
      }
      current.append(t);
      String[] kv = current.toString().strip().split("\\s+", 2);
      out.add(new Instruction(kv[0].toUpperCase(java.util.Locale.ROOT), kv.length > 1 ? kv[1] : ""));
      current.setLength(0);
    }
    return new Dockerfile(file, out);
  }

  List<String> args(String keyword) {
    return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::args).toList();
  }

  /** The instructions of the last stage (the image that runs). */
  Dockerfile runtime() {
    int last = 0;
    for (int i = 0; i < instructions.size(); i++) {
      if (instructions.get(i).keyword().equals("FROM")) {
        last = i;
      }
    }
    return new Dockerfile(file, instructions.subList(last, instructions.size()));
  }

  /** ENV of the runtime stage, both {@code ENV K=V K2=V2} and {@code ENV K V}. */
  Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>();
    Pattern kv = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S+)");
    for (String a : runtime().args("ENV")) {
      Matcher m = kv.matcher(a);
      boolean any = false;
      while (m.find()) {
        env.put(m.group(1), m.group(2).replace("\"", ""));
        any = true;
      }
      if (!any) {
        String[] p = a.split("\\s+", 2);
        env.put(p[0], p.length > 1 ? p[1] : "");
      }
    }
    return env;
  }

  /** The sources of COPY/ADD instructions that copy from the build context (no --from). */
  List<String> contextSources() {
    List<String> out = new ArrayList<>();
    for (Instruction i : instructions) {
      if ((i.keyword().equals("COPY") || i.keyword().equals("ADD")) && !i.args().contains("--from=")) {
        List<String> parts = new ArrayList<>(List.of(i.args().split("\\s+")));
        parts.removeIf(p -> p.startsWith("--"));
        out.addAll(parts.subList(0, parts.size() - 1));
      }
    }
    return out;
  }
}
