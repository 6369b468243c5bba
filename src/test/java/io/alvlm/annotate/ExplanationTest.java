package io.alvlm.annotate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.avro.AnnotationRequest;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The workbench's "why this image" for a pick and for a recheck. */
class ExplanationTest {
  private static AnnotationRequest.Builder request() {
    return AnnotationRequest.newBuilder().setQueryId("q").setRound(2).setId("img").setModelVersion(1)
        .setCalibratedEntropy(Math.log(3)).setNeighborEntropy(Math.log(2)).setUncertainty(1.8).setCluster(4)
        .setGuesses(List.of()).setScores(java.util.Map.of()).setCreatedAt(Instant.EPOCH).setDeadline(Instant.EPOCH);
  }

  @Test
  void aPickIsExplainedByTheModelsHesitation() {
    AnnotationRequest r = request().build();
    assertEquals("uncertain", r.getReason(), "the default reason");
    List<String> why = Explanation.of(r, 10);
    assertEquals(3, why.size());
    assertTrue(why.get(0).contains("about 3.0 of the 10 classes"), why.get(0));
  }

  @Test
  void aRecheckSaysItChecksALabelWithoutShowingIt() {
    List<String> why = Explanation.of(request().setReason("recheck").build(), 10);
    assertEquals(1, why.size());
    assertTrue(why.get(0).startsWith("A check: this image has a label already"), why.get(0));
    assertTrue(why.get(0).contains("replaces the old label"), why.get(0));
  }
}
