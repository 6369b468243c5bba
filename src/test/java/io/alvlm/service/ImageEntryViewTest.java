package io.alvlm.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.alvlm.avro.ImageStatus;
import io.alvlm.avro.PoolEntry;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code /images/{id}} says of a pool entry. */
class ImageEntryViewTest {
  private static PoolEntry labelled(String annotator, String pseudoFrom) {
    return PoolEntry.newBuilder().setId("copy1").setVector(ByteBuffer.allocate(0)).setDim(0).setStatus(ImageStatus.LABELED)
        .setArrivedAt(Instant.EPOCH).setClassName("cat").setAnnotator(annotator).setPseudoFrom(pseudoFrom).build();
  }

  @Test
  void aPseudoLabelIsMarkedWithItsSourceAndAnAnswerIsNot() {
    Map<String, Object> pseudo = ServiceView.entry(labelled(null, "img1"));
    assertEquals(Map.of("class", "cat", "from", "img1"), pseudo.get("pseudoLabel"));
    assertEquals("cat", pseudo.get("label"));
    Map<String, Object> answered = ServiceView.entry(labelled("ann", null));
    assertFalse(answered.containsKey("pseudoLabel"));
    assertEquals("ann", answered.get("annotator"));
  }
}
