package io.alvlm.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One documented service setting: its key (as in the config file), default, meaning, parser and,
 * for a setting with a fixed set of values, those values ({@code alvlm run --list-settings} shows
 * them; a value outside them fails at start naming the key, the value and the allowed values).
 * The environment variable for a key is {@code ALVLM_} + the key upper-cased with {@code .} and
 * {@code -} turned into {@code _}.
 */
public record Setting<T>(String key, String defaultValue, String doc, Function<String, T> parser, List<String> allowed) {
  public Setting {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(doc, "doc");
    Objects.requireNonNull(parser, "parser");
    allowed = List.copyOf(allowed);
  }

  /** A setting whose values are whatever {@code parser} accepts. */
  public Setting(String key, String defaultValue, String doc, Function<String, T> parser) {
    this(key, defaultValue, doc, parser, List.of());
  }

  public String envName() {
    return envName(key);
  }

  public static String envName(String key) {
    return "ALVLM_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** Parses {@code value}; an error names the key, the value and what is allowed. */
  public T parse(String value) {
    try {
      return parser.apply(value);
    } catch (RuntimeException e) {
      if (!allowed.isEmpty()) {
        throw new IllegalArgumentException(key + "=" + value + ": want one of " + String.join(", ", allowed), e);
      }
      String why = String.valueOf(e.getMessage());
      throw new IllegalArgumentException(why.startsWith(key + "=") ? why : key + "=" + value + ": " + why, e);
    }
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
    }, List.of("true", "false"));
  }

  /**
   * A setting that takes one of {@code type}'s constants, written in lower case with {@code -} for
   * {@code _} ({@code NOT_WORSE} is {@code not-worse}); any case is accepted.
   */
  static <E extends Enum<E>> Setting<E> choice(String key, E def, String doc, Class<E> type) {
    return choice(key, def, doc, type, Arrays.asList(type.getEnumConstants()));
  }

  /** As {@link #choice(String, Enum, String, Class)}, allowing only {@code allowed} of the constants. */
  static <E extends Enum<E>> Setting<E> choice(String key, E def, String doc, Class<E> type, List<E> allowed) {
    List<String> names = allowed.stream().map(Setting::name).toList();
    return new Setting<>(key, name(def), doc, s -> {
      String v = s.trim().toLowerCase(Locale.ROOT);
      for (E e : allowed) {
        if (name(e).equals(v)) return e;
      }
      throw new IllegalArgumentException("want one of " + String.join(", ", names));
    }, names);
  }

  /** How a constant is written in settings: lower case, {@code -} for {@code _}. */
  public static String name(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
