package io.alvlm.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.broker.EmbeddedKafka;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two transactional producers with the same id on a real broker, as after a task migrated: the older is
 * fenced by the newer, its next calls fail, and the count goes up once for it, not once per failed call;
 * the newer one commits and is not counted.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@org.junit.jupiter.api.parallel.ResourceLock(io.alvlm.TimedIts.LOCK)
class FencedProducersIT {
  @Test
  void aProducerFencedByItsSuccessorIsCountedOnce() throws Exception {
    AtomicInteger fences = new AtomicInteger();
    FencedProducers clients = FencedProducers.counting(fences::incrementAndGet);
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      try (var admin = org.apache.kafka.clients.admin.Admin.create(kafka.clientConfig())) {
        admin.createTopics(java.util.List.of(new NewTopic("t", 1, (short) 1))).all().get();
      }
      Map<String, Object> c = new HashMap<>(kafka.clientConfig());
      c.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "alvlm-test-0_0");
      c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
      c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
      try (Producer<byte[], byte[]> old = clients.getProducer(c)) {
        old.initTransactions();
        old.beginTransaction();
        old.send(new ProducerRecord<>("t", new byte[] {1})).get();
        try (Producer<byte[], byte[]> successor = clients.getProducer(c)) {
          successor.initTransactions(); // aborts the old one's transaction and bumps the epoch
          assertThrows(KafkaException.class, old::commitTransaction);
          assertThrows(java.util.concurrent.ExecutionException.class,
              () -> old.send(new ProducerRecord<>("t", new byte[] {2}), (m, e) -> {}).get());
          assertEquals(1, fences.get(), "the fenced producer counts once however many of its calls fail");
          successor.beginTransaction();
          successor.send(new ProducerRecord<>("t", new byte[] {3})).get();
          successor.commitTransaction();
        }
      }
      assertEquals(1, fences.get(), "the successor's transaction went through uncounted");
    }
    assertTrue(FencedProducers.isFence(new KafkaException(new org.apache.kafka.common.errors.ProducerFencedException("x"))));
    assertTrue(!FencedProducers.isFence(new KafkaException("timeout")));
  }
}
