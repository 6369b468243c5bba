package io.alvlm.annotate;

import io.alvlm.avro.PoolNotice;
import io.alvlm.topics.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool's latest {@link PoolNotice} (paused rounds, annotator agreement) for the workbench's progress panel:
 * one thread reads the compacted {@code alvlm.notices} from its start (read-committed, no group: every workbench
 * reads it whole) and keeps the newest. Empty until the pool has written one.
 */
public final class PoolNoticeFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PoolNoticeFeed.class);
  private final Topics topics;
  private final Map<String, Object> consumerConfig;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;
  private volatile KafkaConsumer<String, PoolNotice> consumer;
  private volatile PoolNotice latest;

  public PoolNoticeFeed(Map<String, Object> clientConfig, Topics topics) {
    this.topics = Objects.requireNonNull(topics);
    consumerConfig = new HashMap<>(clientConfig);
    consumerConfig.put("isolation.level", "read_committed");
    consumerConfig.put("enable.auto.commit", false);
    thread = new Thread(this::loop, "alvlm-workbench-notices");
    thread.setDaemon(true);
    thread.start();
  }

  /** The newest notice read. */
  public Optional<PoolNotice> latest() {
    return Optional.ofNullable(latest);
  }

  private void loop() {
    try (KafkaConsumer<String, PoolNotice> c =
            new KafkaConsumer<>(consumerConfig, new StringDeserializer(), topics.notices.valueSerde().deserializer())) {
      consumer = c;
      TopicPartition p = new TopicPartition(topics.notices.name(), 0);
      c.assign(List.of(p));
      c.seekToBeginning(List.of(p));
      while (running.get()) {
        for (ConsumerRecord<String, PoolNotice> r : c.poll(Duration.ofMillis(500))) {
          if (r.value() != null) latest = r.value();
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      if (running.get()) LOG.error("workbench notices stopped: {}", e.toString());
    }
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    KafkaConsumer<String, PoolNotice> c = consumer;
    if (c != null) c.wakeup();
    thread.join(5_000);
  }
}
