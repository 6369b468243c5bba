package io.alvlm.annotate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who may annotate: names and their login tokens, from {@code annotate.tokens}
 * ({@code name=token,name=token}). Only SHA-256 digests of the tokens are kept, and a token is
 * compared with every digest in constant time, so neither memory dumps nor timing reveal one.
 * {@link #toString()} names the annotators, never a token.
 */
public final class Annotators {
  /** Short tokens are guessable; 16 characters of a random token is about 90 bits. */
  static final int MIN_TOKEN = 16;
  /** A random token of 16 characters has a dozen or more different ones; "aaaaaaaaaaaaaaaa" has one. */
  static final int MIN_DISTINCT = 8;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
  /** What an annotator name may hold, for messages: the rule of {@code annotate.tokens} and of imported labels. */
  public static final String NAME_RULE = "1 to 64 letters, digits and ._@-";
  private final Map<String, byte[]> digests;

  private Annotators(Map<String, byte[]> digests) {
    this.digests = digests;
  }

  /** Parses {@code name=token,...}; the error names the bad entry by position, never its token. */
  public static Annotators parse(String spec) {
    Map<String, byte[]> d = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    String[] entries = spec.isBlank() ? new String[0] : spec.split(",");
    for (int i = 0; i < entries.length; i++) {
      String e = entries[i].trim();
      int eq = e.indexOf('=');
      String name = eq < 0 ? "" : e.substring(0, eq).trim();
      String token = eq < 0 ? "" : e.substring(eq + 1).trim();
      if (!NAME.matcher(name).matches()) {
        problems.add("entry " + (i + 1) + ": want name=token with a name of " + NAME_RULE);
      } else if (token.length() < MIN_TOKEN) {
        problems.add("entry " + (i + 1) + " (" + name + "): token shorter than " + MIN_TOKEN + " characters");
      } else if (token.chars().distinct().count() < MIN_DISTINCT || token.chars().anyMatch(Character::isWhitespace)) {
        problems.add("entry " + (i + 1) + " (" + name + "): token of fewer than " + MIN_DISTINCT + " different characters "
            + "or with blanks; use a random one (openssl rand -hex 16)");
      } else if (d.put(name, digest(token)) != null) {
        problems.add("entry " + (i + 1) + ": " + name + " is listed twice");
      }
    }
    if (d.isEmpty() && problems.isEmpty()) {
      problems.add("no annotators: set annotate.tokens=name=token,... (the workbench has no anonymous access)");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("annotate.tokens: " + String.join("; ", problems));
    }
    return new Annotators(d);
  }

  /** Whether {@code name} is a valid annotator name ({@link #NAME_RULE}). */
  public static boolean validName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** The annotator whose token this is. */
  public Optional<String> byToken(String token) {
    if (token == null || token.isEmpty()) {
      return Optional.empty();
    }
    byte[] t = digest(token);
    String found = null;
    for (Map.Entry<String, byte[]> e : digests.entrySet()) {
      // no early exit: every entry is compared, whichever matches
      if (MessageDigest.isEqual(t, e.getValue())) {
        found = e.getKey();
      }
    }
    return Optional.ofNullable(found);
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "Annotators" + digests.keySet();
  }
}
