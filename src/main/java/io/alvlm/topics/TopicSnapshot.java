package io.alvlm.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Every committed record of a topic, from its beginning to its end offsets at the time of the call
 * (read-committed, assigned partitions, no consumer group).
 */
public final class TopicSnapshot {
  private TopicSnapshot() {}

  /** With the image-id (string) keys alvlm's topics use. */
  public static <V> List<ConsumerRecord<String, V>> read(Map<String, Object> clientConfig, String topic,
      Deserializer<V> values, Duration timeout) {
    return read(clientConfig, topic, new StringDeserializer(), values, timeout);
  }

  /** Fails when the topic cannot be read to its end within {@code timeout}. */
  public static <K, V> List<ConsumerRecord<K, V>> read(Map<String, Object> clientConfig, String topic,
      Deserializer<K> keys, Deserializer<V> values, Duration timeout) {
    Map<String, Object> c = new HashMap<>(clientConfig);
    c.put("isolation.level", "read_committed");
    c.put("enable.auto.commit", false);
    c.remove("group.id");
    List<ConsumerRecord<K, V>> out = new ArrayList<>();
    try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(c, keys, values)) {
      List<TopicPartition> parts = consumer.partitionsFor(topic, timeout).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts, timeout);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + topic + " to its end " + end + " within " + timeout);
        }
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }
}
