package io.alvlm.annotate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * Offsets of the queries topic whose requests are answered (their label committed) though an earlier
 * request still holds the group's committed offset back. They travel with that commit as its metadata,
 * {@code answered:12-15,18}, so a workbench that restarts, or takes the partition over, skips them
 * instead of offering an answered request again. The metadata is bounded (Kafka's
 * {@code offset.metadata.max.bytes}, 4096 by default): past {@link #MAX_METADATA} characters the highest
 * ranges are left out, and those requests are offered once more. Not thread-safe: the desk's lock guards it.
 */
final class AnsweredOffsets {
  static final String PREFIX = "answered:";
  /** Well under the broker's default metadata limit, 4096 bytes. */
  static final int MAX_METADATA = 3_500;

  private final Map<Integer, NavigableSet<Long>> byPartition = new HashMap<>();

  boolean contains(int partition, long offset) {
    NavigableSet<Long> s = byPartition.get(partition);
    return s != null && s.contains(offset);
  }

  void add(int partition, long offset) {
    byPartition.computeIfAbsent(partition, p -> new TreeSet<>()).add(offset);
  }

  void addAll(int partition, Collection<Long> offsets) {
    offsets.forEach(o -> add(partition, o));
  }

  /** Forgets the offsets below {@code committed}: the group's offset covers them. */
  void pruneBelow(int partition, long committed) {
    NavigableSet<Long> s = byPartition.get(partition);
    if (s != null) s.headSet(committed, false).clear();
  }

  void drop(int partition) {
    byPartition.remove(partition);
  }

  /** The answered offsets at or above {@code committed}, with {@code alsoAnswered} (the batch being written). */
  List<Long> above(int partition, long committed, Collection<Long> alsoAnswered) {
    TreeSet<Long> out = new TreeSet<>(byPartition.getOrDefault(partition, new TreeSet<>()).tailSet(committed, true));
    alsoAnswered.stream().filter(o -> o >= committed).forEach(out::add);
    return new ArrayList<>(out);
  }

  /** The commit metadata for these sorted offsets: ranges, the highest left out past {@link #MAX_METADATA}. */
  static String metadata(List<Long> sorted) {
    StringBuilder b = new StringBuilder(PREFIX);
    int i = 0;
    while (i < sorted.size()) {
      int j = i;
      while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) j++;
      String range = (b.length() > PREFIX.length() ? "," : "") + sorted.get(i) + (j > i ? "-" + sorted.get(j) : "");
      if (b.length() + range.length() > MAX_METADATA) break;
      b.append(range);
      i = j + 1;
    }
    return b.length() == PREFIX.length() ? "" : b.toString();
  }

  /** The offsets a commit's metadata names; none when it is empty, not ours or unreadable. */
  static List<Long> parse(String metadata) {
    List<Long> out = new ArrayList<>();
    if (metadata == null || !metadata.startsWith(PREFIX)) return out;
    try {
      for (String range : metadata.substring(PREFIX.length()).split(",")) {
        if (range.isEmpty()) continue;
        int dash = range.indexOf('-');
        long from = Long.parseLong(dash < 0 ? range : range.substring(0, dash));
        long to = dash < 0 ? from : Long.parseLong(range.substring(dash + 1));
        for (long o = from; o <= to; o++) out.add(o);
      }
      return out;
    } catch (NumberFormatException e) {
      return List.of(); // not written by this code: offer the requests again rather than skip the wrong ones
    }
  }
}
