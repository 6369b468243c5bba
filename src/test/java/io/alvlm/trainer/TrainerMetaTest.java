package io.alvlm.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** The trainer's meta on a real in-memory store: what a restart reads back. */
class TrainerMetaTest {
  private static TrainerMeta meta(KeyValueStore<String, Long> store) {
    return new TrainerMeta(store);
  }

  private static KeyValueStore<String, Long> store() {
    KeyValueStore<String, Long> s = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(TrainerMeta.STORE),
        Serdes.String(), Serdes.Long()).withLoggingDisabled().build();
    s.init(new MockProcessorContext<>().getStateStoreContext(), s);
    return s;
  }

  @Test
  void aRetrainingTakesTheNewLabelsAndARestartMidTrainingSeesIt() {
    KeyValueStore<String, Long> store = store();
    TrainerMeta m = meta(store);
    assertEquals(1, m.labelArrived());
    assertEquals(2, m.labelArrived());
    assertFalse(m.retrainingWanted());
    m.wantRetraining();
    assertTrue(m.retrainingWanted());
    m.retrainingTaken();
    m.trainingStarted();
    assertFalse(m.retrainingWanted());
    assertEquals(0, m.newLabels());
    TrainerMeta restarted = meta(store);
    assertTrue(restarted.wasTraining(), "a restart reads that a retraining was running");
    restarted.trainingEnded();
    assertFalse(meta(store).wasTraining());
  }

  @Test
  void failuresCountByReasonUntilAModelIsPublished() {
    TrainerMeta m = meta(store());
    assertFalse(m.hasPublished());
    m.failed("timeout");
    m.failed("timeout");
    m.failed("error");
    assertEquals(2, m.failures("timeout"));
    assertEquals(1, m.failures("error"));
    assertEquals(0, m.failures("check-failed"));
    m.published(3);
    m.clearFailures();
    assertTrue(m.hasPublished());
    assertEquals(3, m.published());
    TrainerMeta.FAILURE_REASONS.forEach(r -> assertEquals(0, m.failures(r)));
  }
}
