package io.alvlm.annotate;

import io.alvlm.avro.AnnotationRequest;
import io.alvlm.avro.Label;
import io.alvlm.avro.LabelVote;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The open annotation requests and who holds them. A request is leased to one annotator at a time
 * (or to at most {@code votes} distinct annotators when several independent answers are wanted);
 * a lease not answered within {@code leaseMs} goes back to the queue, and a request past its own
 * deadline is offered to nobody (the pool has already returned its image). The next request is the
 * most uncertain open one of the oldest round with open requests, so rounds are finished in order; a recheck
 * ({@code AnnotationRequest.checks}) goes to another annotator than the one it checks while another one is at work. Answers become {@link Label}s: one per request, the majority of its
 * votes; undoing an answer re-shows the request and makes the next answer a correction.
 *
 * <p>The desk also says which offsets of the queries topic may be committed: everything below the
 * first request that is neither written nor expired, so a restart re-offers exactly the unfinished
 * requests. All times are epoch milliseconds from the caller. Thread-safe (one lock).
 */
public final class AnnotationDesk {
  /** How many answers per annotator {@code z} can walk back. */
  private static final int UNDO_DEPTH = 20;

  private final int votes;
  private final long leaseMs;
  private final Map<String, DeskEntry> byQuery = new HashMap<>();
  private final Map<Integer, TreeMap<Long, DeskEntry>> byPartition = new HashMap<>();
  private final Map<String, String> current = new HashMap<>();
  private final Map<String, Deque<String>> history = new HashMap<>();
  private final Map<String, long[]> perAnnotator = new LinkedHashMap<>();
  private final TreeMap<Long, long[]> perRound = new TreeMap<>();
  /** When each annotator last asked for work: who is at the desk now. */
  private final Map<String, Long> seen = new HashMap<>();
  /** Requests answered above the committed offset: a re-read skips them. */
  private final AnsweredOffsets answered = new AnsweredOffsets();

  /** A request as shown to one annotator; {@code correcting} when it is back after an undo. */
  public record Shown(AnnotationRequest request, boolean correcting) {}

  /** What an answer led to: the label to write, or none while votes are still missing. */
  public record Answered(AnnotationRequest request, Optional<Label> label) {}

  /** One annotator's tally: answers given and the mean seconds they looked at an image. */
  public record Tally(String annotator, long answers, double secondsPerAnswer) {}

  /**
   * Where the work stands.
   *
   * @param round the round being labelled: of the request the annotator holds, else the oldest round
   *     with open requests, else the newest round seen
   * @param labelledThisRound requests of that round that have their label
   * @param remainingThisRound requests of that round still open
   * @param remaining open requests of every round
   */
  public record Progress(long round, long labelledThisRound, long remainingThisRound, long remaining, List<Tally> annotators) {}

  public AnnotationDesk(int votes, long leaseMs) {
    if (votes < 1 || leaseMs < 1) {
      throw new IllegalArgumentException("votes and leaseMs must be positive, got " + votes + " and " + leaseMs);
    }
    this.votes = votes;
    this.leaseMs = leaseMs;
  }

  /** Adds a request read at {@code partition}/{@code offset}; one already known (a re-read) is ignored. */
  public synchronized void add(AnnotationRequest r, int partition, long offset) {
    if (byQuery.containsKey(r.getQueryId()) || answered.contains(partition, offset)) {
      return;
    }
    DeskEntry e = new DeskEntry(r, partition, offset);
    byQuery.put(e.queryId(), e);
    byPartition.computeIfAbsent(partition, p -> new TreeMap<>()).put(offset, e);
    perRound.computeIfAbsent(r.getRound(), k -> new long[2])[0]++;
  }

  /** Notes requests answered before this desk read them (the committed offset's metadata): they are not offered. */
  public synchronized void answeredBefore(int partition, List<Long> offsets) {
    answered.addAll(partition, offsets);
  }

  /** Offsets at or above {@code committed} answered, or whose labels ({@code writing}) commit now: that commit's metadata. */
  public synchronized List<Long> answeredAbove(int partition, long committed, Collection<String> writing) {
    return answered.above(partition, committed, writing.stream().map(byQuery::get)
        .filter(e -> e != null && e.partition == partition).map(e -> e.offset).toList());
  }

  /** Forgets the requests of a partition this instance no longer owns (its new owner offers them). */
  public synchronized void dropPartition(int partition) {
    answered.drop(partition);
    TreeMap<Long, DeskEntry> gone = byPartition.remove(partition);
    if (gone != null) {
      gone.values().forEach(e -> byQuery.remove(e.queryId()));
      current.values().removeIf(q -> !byQuery.containsKey(q));
    }
  }

  /**
   * The request {@code annotator} should look at now: the one they hold, else the most uncertain free
   * one of the oldest round that has any.
   */
  public synchronized Optional<Shown> lease(String annotator, long now) {
    seen.put(annotator, now);
    DeskEntry held = held(annotator, now);
    if (held != null) {
      return Optional.of(new Shown(held.request, held.correcting.contains(annotator)));
    }
    release(annotator);
    DeskEntry best = byQuery.values().stream().filter(e -> offerable(e, annotator, now))
        .max(Comparator.comparingLong((DeskEntry e) -> -e.request.getRound())
            .thenComparingDouble(e -> e.request.getUncertainty())
            .thenComparing(e -> -e.request.getCreatedAt().toEpochMilli()).thenComparing(e -> -e.offset))
        .orElse(null);
    if (best == null) {
      return Optional.empty();
    }
    best.shownAt.entrySet().removeIf(s -> !best.votes.containsKey(s.getKey()) && now - s.getValue() >= leaseMs);
    best.shownAt.put(annotator, now);
    current.put(annotator, best.queryId());
    return Optional.of(new Shown(best.request, false));
  }

  private DeskEntry held(String annotator, long now) {
    String q = current.get(annotator);
    DeskEntry e = q == null ? null : byQuery.get(q);
    if (e == null || !e.shownAt.containsKey(annotator)) {
      return null;
    }
    boolean live = now - e.shownAt.get(annotator) < leaseMs;
    boolean correcting = e.correcting.contains(annotator);
    if (correcting) {
      return e; // an undo waits for its correction however long it takes: nobody else can take a labelled request
    }
    return live && !e.expired(now) && !e.votes.containsKey(annotator) ? e : null;
  }

  private void release(String annotator) {
    String q = current.remove(annotator);
    DeskEntry e = q == null ? null : byQuery.get(q);
    if (e != null && !e.votes.containsKey(annotator)) {
      e.shownAt.remove(annotator);
    }
  }

  private boolean offerable(DeskEntry e, String annotator, long now) {
    if (e.emitted != null || e.expired(now) || e.votes.containsKey(annotator)) {
      return false;
    }
    if (annotator.equals(e.request.getChecks()) && othersAtWork(annotator, now)) {
      return false; // a recheck goes to another annotator than the one whose label it checks, when there is one
    }
    long holders = e.shownAt.entrySet().stream()
        .filter(s -> !e.votes.containsKey(s.getKey()) && now - s.getValue() < leaseMs).count();
    return holders + e.votes.size() < votes;
  }

  /** Whether an annotator other than {@code annotator} asked for work within the lease time. */
  private boolean othersAtWork(String annotator, long now) {
    return seen.entrySet().stream().anyMatch(s -> !s.getKey().equals(annotator) && now - s.getValue() < leaseMs);
  }

  /**
   * Records {@code annotator}'s answer to request {@code queryId}.
   *
   * @throws DeskRefusal when the request is not open or not leased to the annotator
   */
  public synchronized Answered answer(String annotator, String queryId, Answer answer, long now) {
    return answer(annotator, queryId, answer, null, now);
  }

  /**
   * Records {@code annotator}'s answer with a free-text {@code note} (null: none), kept in {@code Label.note}.
   *
   * @throws DeskRefusal when the request is not open or not leased to the annotator
   */
  public synchronized Answered answer(String annotator, String queryId, Answer answer, String note, long now) {
    DeskEntry e = byQuery.get(queryId);
    if (e == null) {
      throw new DeskRefusal("request " + queryId + " is not open here (answered, past its deadline, or never seen)");
    }
    if (!e.shownAt.containsKey(annotator)) {
      throw new DeskRefusal("request " + queryId + " is not leased to " + annotator + ": ask for the next request");
    }
    boolean correcting = e.correcting.remove(annotator);
    if (e.votes.containsKey(annotator) && !correcting) {
      throw new DeskRefusal("request " + queryId + " already has " + annotator + "'s answer: undo it first");
    }
    if (!correcting && e.expired(now)) {
      throw new DeskRefusal("request " + queryId + " passed its deadline; the pool has returned the image");
    }
    long spent = Math.max(0, now - e.shownAt.get(annotator));
    e.votes.remove(annotator);
    e.votes.put(annotator, LabelVote.newBuilder().setAnnotator(annotator).setOutcome(answer.outcome())
        .setClassName(answer.className()).build());
    e.spentMs.merge(annotator, spent, Long::sum);
    if (note == null) {
      e.notes.remove(annotator);
    } else {
      e.notes.put(annotator, note);
    }
    current.remove(annotator, queryId);
    Deque<String> h = history.computeIfAbsent(annotator, a -> new ArrayDeque<>());
    h.remove(queryId);
    h.push(queryId);
    while (h.size() > UNDO_DEPTH) {
      h.removeLast();
    }
    long[] t = perAnnotator.computeIfAbsent(annotator, a -> new long[2]);
    t[0]++;
    t[1] += spent;
    if (e.emitted == null && e.votes.size() < votes) {
      return new Answered(e.request, Optional.empty());
    }
    Label label = label(e, annotator, now);
    if (e.emitted == null) {
      perRound.computeIfAbsent(e.request.getRound(), k -> new long[2])[1]++;
    }
    e.emitted = label;
    e.written = false;
    return new Answered(e.request, Optional.of(label));
  }

  private Label label(DeskEntry e, String annotator, long now) {
    List<LabelVote> vs = new ArrayList<>(e.votes.values());
    Majority m = Majority.of(vs);
    return Label.newBuilder().setId(e.request.getId()).setOutcome(m.answer().outcome()).setClassName(m.answer().className())
        .setAnnotator(votes == 1 ? annotator : String.join("+", e.votes.keySet()))
        .setQueryId(e.queryId()).setLabeledAt(Instant.ofEpochMilli(now))
        .setTimeSpentMs(e.spentMs.values().stream().mapToLong(Long::longValue).sum())
        .setCorrection(e.emitted != null).setVotes(votes == 1 ? List.of() : vs).setAgreement(m.agreement())
        .setNote(e.notes.isEmpty() ? null : String.join(" | ", e.notes.values())).build();
  }

  /** Takes back {@code annotator}'s last answer: its request is shown again and the next answer corrects it. */
  public synchronized Optional<Shown> undo(String annotator, long now) {
    Deque<String> h = history.get(annotator);
    while (h != null && !h.isEmpty()) {
      DeskEntry e = byQuery.get(h.pop());
      if (e == null || !e.votes.containsKey(annotator)) {
        continue;
      }
      release(annotator);
      e.correcting.add(annotator);
      e.shownAt.put(annotator, now);
      current.put(annotator, e.queryId());
      return Optional.of(new Shown(e.request, true));
    }
    return Optional.empty();
  }

  /** Whether {@code annotator} may see the image of {@code queryId}: they hold it or answered it. */
  public synchronized boolean visibleTo(String annotator, String queryId) {
    DeskEntry e = byQuery.get(queryId);
    return e != null && (e.shownAt.containsKey(annotator) || e.votes.containsKey(annotator));
  }

  /**
   * The offset to commit per partition when the labels of {@code writing} (query ids) commit now:
   * the first request not finished, or one past the last request read.
   */
  public synchronized Map<Integer, Long> committable(Collection<String> writing, long now) {
    Map<Integer, Long> out = new TreeMap<>();
    byPartition.forEach((p, entries) -> {
      long next = commitPoint(entries, writing, now);
      if (next >= 0) out.put(p, next);
    });
    return out;
  }

  /** The first request not finished, or one past the last read; -1 when none is held. */
  private static long commitPoint(TreeMap<Long, DeskEntry> entries, Collection<String> writing, long now) {
    for (DeskEntry e : entries.values()) {
      if (!e.expired(now) && (e.emitted == null || !(e.written || writing.contains(e.queryId())))) return e.offset;
    }
    return entries.isEmpty() ? -1 : entries.lastKey() + 1;
  }


  /** Notes that the labels of these requests are committed, and forgets finished requests nobody can undo. */
  public synchronized void written(Collection<String> queryIds, long now) {
    for (String q : queryIds) {
      DeskEntry e = byQuery.get(q);
      if (e != null) {
        e.written = true;
        answered.add(e.partition, e.offset);
      }
    }
    byPartition.forEach((p, entries) -> answered.pruneBelow(p, commitPoint(entries, queryIds, now)));
    Set<String> undoable = new HashSet<>();
    history.values().forEach(undoable::addAll);
    current.values().forEach(undoable::add);
    for (TreeMap<Long, DeskEntry> entries : byPartition.values()) {
      entries.values().removeIf(e -> {
        boolean gone = (e.written || e.expired(now)) && !undoable.contains(e.queryId());
        if (gone) {
          byQuery.remove(e.queryId());
        }
        return gone;
      });
    }
  }

  /** The request with this id, while the desk holds it. */
  public synchronized Optional<AnnotationRequest> request(String queryId) {
    return Optional.ofNullable(byQuery.get(queryId)).map(e -> e.request);
  }

  /** Where the work stands, for {@code annotator}: the round of the request they hold, or the oldest still open. */
  public synchronized Progress progress(String annotator, long now) {
    DeskEntry held = annotator == null ? null : byQuery.get(current.get(annotator));
    long round = held != null ? held.request.getRound()
        : byQuery.values().stream().filter(e -> e.emitted == null && !e.expired(now)).mapToLong(e -> e.request.getRound())
            .min().orElse(perRound.isEmpty() ? 0 : perRound.lastKey());
    long[] r = perRound.getOrDefault(round, new long[2]);
    long open = byQuery.values().stream().filter(e -> e.emitted == null && !e.expired(now)).count();
    long openThisRound = byQuery.values().stream()
        .filter(e -> e.emitted == null && !e.expired(now) && e.request.getRound() == round).count();
    List<Tally> tallies = perAnnotator.entrySet().stream()
        .map(t -> new Tally(t.getKey(), t.getValue()[0], t.getValue()[0] == 0 ? 0 : t.getValue()[1] / 1000.0 / t.getValue()[0]))
        .toList();
    return new Progress(round, r[1], openThisRound, open, tallies);
  }

}
