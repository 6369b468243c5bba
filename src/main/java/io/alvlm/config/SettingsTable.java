package io.alvlm.config;

import java.util.List;

/**
 * The settings registry as people read it: the text of {@code alvlm run --list-settings} and the
 * generated table of {@code docs/settings.md}, both from {@link Settings#all()}.
 */
public final class SettingsTable {
  private SettingsTable() {}

  /** The prefixes passed on to other clients, with what reads them. */
  private static final List<String[]> PASSED_ON = List.of(
      new String[] {"kafka.*", "passed to every Kafka client and Kafka Streams"},
      new String[] {"schema.registry.*", "the registry client (serde.format=confluent): the keys above, others passed on"});

  /** One block per setting: key, environment variable, default and allowed values, then its meaning. */
  public static String text() {
    StringBuilder b = new StringBuilder();
    for (Setting<?> s : Settings.all()) {
      b.append(String.format("%-38s %-46s default: %s%s%n    %s%n", s.key(), s.envName(), s.defaultValue(),
          s.allowed().isEmpty() ? "" : "  (" + String.join(", ", s.allowed()) + ")", s.doc()));
    }
    for (String[] p : PASSED_ON) {
      b.append(String.format("%-38s %-46s %s%n", p[0], Setting.envName(p[0].replace("*", "")) + "*", p[1]));
    }
    return b.toString();
  }

  /** The markdown table; {@code home} (the user's home directory) shows as {@code ~} in defaults. */
  public static String markdown(String home) {
    StringBuilder b = new StringBuilder("| key | environment variable | default | allowed | meaning |\n|---|---|---|---|---|\n");
    for (Setting<?> s : Settings.all()) {
      String def = s.defaultValue().replace(home, "~");
      b.append("| `").append(s.key()).append("` | `").append(s.envName()).append("` | ")
          .append(def.isEmpty() ? "—" : "`" + def + "`").append(" | ")
          .append(s.allowed().isEmpty() ? "" : "`" + String.join("` \\| `", s.allowed()) + "`").append(" | ")
          .append(s.doc().replace("|", "\\|")).append(" |\n");
    }
    return b.toString();
  }
}
