package io.alvlm.annotate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.avro.AnnotationRequest;
import io.alvlm.avro.Label;
import io.alvlm.avro.LabelOutcome;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AnnotationDeskTest {
  static {
    io.alvlm.serde.RecordTypes.trustGeneratedClasses();
  }

  private static final long LEASE = 1_000;

  static AnnotationRequest request(String id, double uncertainty, long deadline) {
    return request(id, 1, uncertainty, deadline);
  }

  static AnnotationRequest request(String id, long round, double uncertainty, long deadline) {
    return AnnotationRequest.newBuilder().setQueryId("q-" + id).setRound(round).setId(id).setUncertainty(uncertainty)
        .setModelVersion(0).setCreatedAt(Instant.ofEpochMilli(0)).setDeadline(Instant.ofEpochMilli(deadline)).build();
  }

  private static AnnotationDesk desk(int votes, AnnotationRequest... rs) {
    AnnotationDesk d = new AnnotationDesk(votes, LEASE);
    for (int i = 0; i < rs.length; i++) {
      d.add(rs[i], 0, i);
    }
    return d;
  }

  private static String leased(AnnotationDesk d, String who, long now) {
    return d.lease(who, now).orElseThrow().request().getId();
  }

  @Test
  void offersTheMostUncertainRequestFirst() {
    AnnotationDesk d = desk(1, request("a", 0.1, 99_999), request("b", 0.9, 99_999), request("c", 0.5, 99_999));
    assertEquals("b", leased(d, "ann", 0));
  }

  @Test
  void servesTheOldestOpenRoundFirstAndProgressNamesTheRoundOnScreen() {
    AnnotationDesk d = desk(1, request("new", 3, 0.9, 99_999), request("old", 2, 0.1, 99_999),
        request("old2", 2, 0.5, 99_999));
    assertEquals(2, d.progress("ann", 0).round(), "nothing held: the oldest round with open requests");
    assertEquals("old2", leased(d, "ann", 0), "round 2 before round 3, however uncertain round 3's are");
    d.answer("ann", "q-old2", Answer.labeled("cat"), 1);
    assertEquals("old", leased(d, "ann", 2));
    AnnotationDesk.Progress p = d.progress("ann", 2);
    assertEquals(List.of(2L, 1L, 1L, 2L), List.of(p.round(), p.labelledThisRound(), p.remainingThisRound(), p.remaining()));
    d.answer("ann", "q-old", Answer.labeled("cat"), 3);
    assertEquals("new", leased(d, "ann", 4));
    assertEquals(3, d.progress("ann", 4).round());
    assertEquals(3, d.progress("bob", 4).round(), "bob holds nothing: round 3 is the oldest open");
  }

  @Test
  void twoAnnotatorsNeverHoldTheSameRequest() {
    AnnotationDesk d = desk(1, request("a", 0.1, 99_999), request("b", 0.9, 99_999));
    assertEquals("b", leased(d, "ann", 0));
    assertEquals("a", leased(d, "bob", 0));
    assertTrue(d.lease("cy", 0).isEmpty(), "nothing left while both leases run");
    assertEquals("b", leased(d, "ann", 10), "a reload shows the same request");
  }

  @Test
  void anExpiredLeaseGoesBackToTheQueue() {
    AnnotationDesk d = desk(1, request("a", 0.1, 99_999));
    assertEquals("a", leased(d, "ann", 0));
    assertTrue(d.lease("bob", LEASE - 1).isEmpty());
    assertEquals("a", leased(d, "bob", LEASE));
    assertThrows(DeskRefusal.class, () -> d.answer("ann", "q-a", Answer.labeled("cat"), LEASE + 1),
        "the first annotator lost the request");
  }

  @Test
  void aRequestPastItsDeadlineIsOfferedToNobodyAndCommitsPastIt() {
    AnnotationDesk d = desk(1, request("a", 0.9, 500), request("b", 0.1, 99_999));
    assertEquals("a", leased(d, "ann", 0));
    assertThrows(DeskRefusal.class, () -> d.answer("ann", "q-a", Answer.labeled("cat"), 500));
    assertEquals("b", leased(d, "ann", 500));
    assertEquals(Map.of(0, 1L), d.committable(Set.of(), 500), "the expired request no longer holds the offset back");
  }

  @Test
  void anAnswerBecomesALabelWithAnnotatorAndTimeSpent() {
    AnnotationDesk d = desk(1, request("a", 0.1, 99_999));
    leased(d, "ann", 100);
    Label l = d.answer("ann", "q-a", Answer.labeled("cat"), 2_100).label().orElseThrow();
    assertEquals("a", l.getId());
    assertEquals("cat", l.getClassName());
    assertEquals("ann", l.getAnnotator());
    assertEquals("q-a", l.getQueryId());
    assertEquals(2_000, l.getTimeSpentMs());
    assertFalse(l.getCorrection());
    assertEquals(Map.of(0, 0L), d.committable(Set.of(), 2_100), "not committed until the label is written");
    assertEquals(Map.of(0, 1L), d.committable(Set.of("q-a"), 2_100));
  }

  @Test
  void anAnswersNoteGoesIntoTheLabelAndVotersNotesAreJoined() {
    AnnotationDesk one = desk(1, request("a", 0.9, 99_999), request("b", 0.1, 99_999));
    leased(one, "ann", 0);
    assertEquals("blurry", one.answer("ann", "q-a", Answer.labeled("cat"), "blurry", 10).label().orElseThrow().getNote());
    leased(one, "ann", 20);
    assertNull(one.answer("ann", "q-b", Answer.labeled("cat"), 30).label().orElseThrow().getNote(), "no note: null, as in v2");

    AnnotationDesk three = desk(3, request("a", 0.9, 99_999));
    for (String who : List.of("ann", "bob", "cy")) {
      leased(three, who, 0);
    }
    three.answer("ann", "q-a", Answer.labeled("cat"), "a cat?", 10);
    three.answer("bob", "q-a", Answer.labeled("dog"), 10);
    assertEquals("a cat? | surely a cat", three.answer("cy", "q-a", Answer.labeled("cat"), "surely a cat", 10).label().orElseThrow()
        .getNote());
  }

  @Test
  void undoShowsTheRequestAgainAndTheNextAnswerIsACorrection() {
    AnnotationDesk d = desk(1, request("a", 0.9, 99_999), request("b", 0.1, 99_999));
    leased(d, "ann", 0);
    d.answer("ann", "q-a", Answer.labeled("cat"), 10);
    d.written(List.of("q-a"), 10);
    assertEquals("b", leased(d, "ann", 20));
    AnnotationDesk.Shown again = d.undo("ann", 30).orElseThrow();
    assertEquals("a", again.request().getId());
    assertTrue(again.correcting());
    assertEquals("a", leased(d, "ann", 40), "the undone request stays on screen");
    assertEquals("b", leased(d, "bob", 40), "the request ann left goes back to the queue");
    Label fix = d.answer("ann", "q-a", Answer.labeled("dog"), 50).label().orElseThrow();
    assertTrue(fix.getCorrection());
    assertEquals("dog", fix.getClassName());
  }

  @Test
  void anAnnotatorCannotAnswerTheSameRequestTwiceWithoutUndo() {
    AnnotationDesk d = desk(1, request("a", 0.9, 99_999));
    leased(d, "ann", 0);
    d.answer("ann", "q-a", Answer.of(LabelOutcome.SKIPPED), 10);
    assertThrows(DeskRefusal.class, () -> d.answer("ann", "q-a", Answer.labeled("cat"), 20));
  }

  @Test
  void votesGoToDistinctAnnotatorsAndTheLabelIsTheirMajority() {
    AnnotationDesk d = desk(3, request("a", 0.9, 99_999));
    assertEquals("a", leased(d, "ann", 0));
    assertEquals("a", leased(d, "bob", 0));
    assertEquals("a", leased(d, "cy", 0));
    assertTrue(d.lease("dee", 0).isEmpty(), "three votes wanted, three annotators hold it");
    assertTrue(d.answer("ann", "q-a", Answer.labeled("cat"), 10).label().isEmpty());
    assertTrue(d.lease("ann", 10).isEmpty(), "the same annotator never votes twice");
    assertTrue(d.answer("bob", "q-a", Answer.labeled("dog"), 10).label().isEmpty());
    Label l = d.answer("cy", "q-a", Answer.labeled("cat"), 10).label().orElseThrow();
    assertEquals("cat", l.getClassName());
    assertEquals(2.0 / 3, l.getAgreement(), 1e-12);
    assertEquals(3, l.getVotes().size());
    assertEquals("ann+bob+cy", l.getAnnotator());
  }

  @Test
  void committedOffsetsStopAtTheFirstUnfinishedRequest() {
    AnnotationDesk d = desk(1, request("a", 0.1, 99_999), request("b", 0.9, 99_999), request("c", 0.5, 99_999));
    leased(d, "ann", 0);
    d.answer("ann", "q-b", Answer.labeled("cat"), 1);
    assertEquals(Map.of(0, 0L), d.committable(Set.of("q-b"), 1), "a (offset 0) is still open");
    d.written(List.of("q-b"), 1);
    d.add(request("a", 0.1, 99_999), 0, 0);
    assertNotEquals(0, d.progress(null, 1).remaining(), "a re-read request is not counted twice");
    assertEquals(2, d.progress(null, 1).remaining());
  }

  /** A recheck of {@code annotator}'s label, less urgent than any pick (rechecks carry no uncertainty). */
  private static AnnotationRequest recheckOf(String id, String annotator) {
    AnnotationRequest r = request(id, 0.0, 99_999);
    r.setReason("recheck");
    r.setChecks(annotator);
    return r;
  }

  @Test
  void aRecheckGoesToAnotherAnnotatorThanTheOneItChecksWhenAnotherIsAtWork() {
    // alone at the desk, ann gets the recheck of her own label: nobody else could answer it
    AnnotationDesk alone = desk(1, recheckOf("a", "ann"), request("b", 0.5, 99_999));
    assertEquals("b", leased(alone, "ann", 0));
    alone.answer("ann", "q-b", Answer.labeled("cat"), 10);
    assertEquals("a", leased(alone, "ann", 20));

    // with bob at work, it waits for bob
    AnnotationDesk two = desk(1, recheckOf("a", "ann"), request("b", 0.5, 99_999));
    assertEquals("b", leased(two, "bob", 0));
    assertTrue(two.lease("ann", 10).isEmpty(), "the recheck of ann's label is not offered to ann while bob works");
    two.answer("bob", "q-b", Answer.labeled("cat"), 20);
    assertEquals("a", leased(two, "bob", 30));

    // once bob has been away for a lease time, ann is alone again
    AnnotationDesk left = desk(1, recheckOf("a", "ann"), request("b", 0.5, 99_999));
    assertEquals("b", leased(left, "bob", 0));
    left.answer("bob", "q-b", Answer.labeled("cat"), 1);
    assertTrue(left.lease("ann", LEASE / 2).isEmpty());
    assertEquals("a", leased(left, "ann", LEASE + 1));
  }

  @Test
  void answersPastAnOpenRequestRideOnTheCommitAndARestartedDeskSkipsThem() {
    // a (offset 0) stays open; b and c (offsets 1, 2) are answered: the commit stays at 0 and names 1-2
    AnnotationDesk d = desk(1, request("a", 0.9, 99_999), request("b", 0.5, 99_999), request("c", 0.1, 99_999));
    assertEquals("a", leased(d, "ann", 0));
    assertEquals("b", leased(d, "bob", 0));
    d.answer("bob", "q-b", Answer.labeled("cat"), 10);
    assertEquals(Map.of(0, 0L), d.committable(Set.of("q-b"), 10));
    assertEquals(List.of(1L), d.answeredAbove(0, 0, Set.of("q-b")));
    d.written(Set.of("q-b"), 10);
    assertEquals("c", leased(d, "bob", 20));
    d.answer("bob", "q-c", Answer.labeled("dog"), 30);
    List<Long> above = d.answeredAbove(0, d.committable(Set.of("q-c"), 30).get(0), Set.of("q-c"));
    assertEquals(List.of(1L, 2L), above);
    d.written(Set.of("q-c"), 30);
    // a new desk (a restart) reads all three again from offset 0, told what the commit's metadata says
    AnnotationDesk restarted = new AnnotationDesk(1, LEASE);
    restarted.answeredBefore(0, AnsweredOffsets.parse(AnsweredOffsets.metadata(above)));
    restarted.add(request("a", 0.9, 99_999), 0, 0);
    restarted.add(request("b", 0.5, 99_999), 0, 1);
    restarted.add(request("c", 0.1, 99_999), 0, 2);
    assertEquals("a", leased(restarted, "ann", 100));
    assertTrue(restarted.lease("bob", 100).isEmpty(), "b and c were answered before the restart");
    assertEquals(List.of(1L, 2L), restarted.answeredAbove(0, 0, Set.of()), "the next commit carries them on");
    restarted.answer("ann", "q-a", Answer.labeled("cat"), 200);
    assertEquals(Map.of(0, 1L), restarted.committable(Set.of("q-a"), 200));
    restarted.written(Set.of("q-a"), 200);
    assertEquals(List.of(1L, 2L), restarted.answeredAbove(0, 1, Set.of()), "still above the commit at 1");
    assertEquals(List.of(), restarted.answeredAbove(0, 3, Set.of()));
  }

  @Test
  void theCommitMetadataIsRangesAndStaysUnderTheBrokersLimit() {
    assertEquals("answered:3-5,7,9-10", AnsweredOffsets.metadata(List.of(3L, 4L, 5L, 7L, 9L, 10L)));
    assertEquals("", AnsweredOffsets.metadata(List.of()));
    assertEquals(List.of(3L, 4L, 5L, 7L, 9L, 10L), AnsweredOffsets.parse("answered:3-5,7,9-10"));
    assertEquals(List.of(), AnsweredOffsets.parse("someone else's metadata"));
    assertEquals(List.of(), AnsweredOffsets.parse("answered:3-x"));
    List<Long> scattered = new java.util.ArrayList<>();
    for (long o = 0; o < 20_000; o += 2) scattered.add(1_000_000_000L + o);
    String m = AnsweredOffsets.metadata(scattered);
    assertTrue(m.length() <= AnsweredOffsets.MAX_METADATA, "length " + m.length());
    List<Long> kept = AnsweredOffsets.parse(m);
    assertEquals(scattered.subList(0, kept.size()), kept, "the lowest offsets are kept, the highest left out");
    assertTrue(kept.size() > 100 && kept.size() < scattered.size(), "kept " + kept.size());
  }
}
