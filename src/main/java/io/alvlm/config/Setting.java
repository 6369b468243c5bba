package io.alvlm.config;

import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One documented service setting: its key (as in the config file), default, meaning and parser.
 * The environment variable for a key is {@code ALVLM_} + the key upper-cased with {@code .} and
 * {@code -} turned into {@code _}.
 */
public record Setting<T>(String key, String defaultValue, String doc, Function<String, T> parser) {
  public Setting {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(doc, "doc");
    Objects.requireNonNull(parser, "parser");
  }

  public String envName() {
    return envName(key);
  }

  public static String envName(String key) {
    return "ALVLM_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  static Setting<String> text(String key, String def, String doc) {
    return new Setting<>(key, def, doc, s -> s);
  }

  static Setting<Integer> integer(String key, int def, String doc) {
    return new Setting<>(key, Integer.toString(def), doc, Integer::parseInt);
  }

  static Setting<Long> longValue(String key, long def, String doc) {
    return new Setting<>(key, Long.toString(def), doc, Long::parseLong);
  }

  static Setting<Double> decimal(String key, double def, String doc) {
    return new Setting<>(key, Double.toString(def), doc, Double::parseDouble);
  }

  static Setting<Boolean> flag(String key, boolean def, String doc) {
    return new Setting<>(key, Boolean.toString(def), doc, s -> {
      if (!s.equalsIgnoreCase("true") && !s.equalsIgnoreCase("false")) {
        throw new IllegalArgumentException("want true or false");
      }
      return Boolean.parseBoolean(s);
    });
  }
}
