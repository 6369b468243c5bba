package io.alvlm.annotate;

import io.alvlm.avro.AnnotationRequest;
import io.alvlm.avro.Label;
import io.alvlm.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workbench's link to Kafka, on one thread that owns both clients: reads {@code alvlm.queries}
 * (read-committed, its own group) into the {@link AnnotationDesk}, and writes labels to
 * {@code alvlm.labels} in transactions that also commit the group's offsets up to the first
 * unfinished request, so a label and "this request is done" are written together or not at all.
 * A write that fails is retried until it commits; {@link #write} completes when it has.
 */
public final class RequestFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RequestFeed.class);
  private final AnnotationDesk desk;
  private final Topics topics;
  private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Map<String, Object> consumerConfig;
  private final Map<String, Object> producerConfig;
  private final Thread thread;
  private volatile KafkaConsumer<String, AnnotationRequest> consumer;

  private record Pending(Label label, CompletableFuture<Void> done) {}

  /**
   * @param clientConfig bootstrap and security settings shared by every client
   * @param group consumer group on the queries topic; also the prefix of the transactional id
   */
  public RequestFeed(Map<String, Object> clientConfig, String group, Topics topics, AnnotationDesk desk) {
    this.desk = Objects.requireNonNull(desk);
    this.topics = Objects.requireNonNull(topics);
    consumerConfig = new HashMap<>(clientConfig);
    consumerConfig.put("group.id", group);
    consumerConfig.put("isolation.level", "read_committed");
    consumerConfig.put("auto.offset.reset", "earliest");
    consumerConfig.put("enable.auto.commit", false);
    producerConfig = new HashMap<>(clientConfig);
    // unique per instance: fencing of zombies goes by the group's generation (KIP-447), not by this id
    producerConfig.put("transactional.id", group + "-" + UUID.randomUUID());
    producerConfig.put("acks", "all");
    thread = new Thread(this::loop, "alvlm-workbench-feed");
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues a label; the future completes once its transaction committed. */
  public CompletableFuture<Void> write(Label label) {
    Pending p = new Pending(label, new CompletableFuture<>());
    pending.add(p);
    KafkaConsumer<String, AnnotationRequest> c = consumer;
    if (c != null) {
      c.wakeup(); // a waiting annotator should not wait for the poll to time out
    }
    return p.done;
  }

  private void loop() {
    try (KafkaConsumer<String, AnnotationRequest> c =
            new KafkaConsumer<>(consumerConfig, new StringDeserializer(), topics.queries.valueSerde().deserializer())) {
      KafkaProducer<String, Label> producer = producer();
      consumer = c;
      c.subscribe(List.of(topics.queries.name()), new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> parts) {
          parts.forEach(p -> desk.dropPartition(p.partition()));
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> parts) {
          // requests answered past the committed offset ride on the commit's metadata: not offered again
          c.committed(new java.util.HashSet<>(parts)).forEach((tp, committed) -> {
            if (committed != null) desk.answeredBefore(tp.partition(), AnsweredOffsets.parse(committed.metadata()));
          });
        }
      });
      while (running.get()) {
        try {
          for (ConsumerRecord<String, AnnotationRequest> r : c.poll(Duration.ofMillis(250))) {
            if (r.value() != null) {
              desk.add(r.value(), r.partition(), r.offset());
            }
          }
        } catch (WakeupException e) {
          // a label is waiting: write it now
        }
        producer = flush(c, producer);
      }
      producer.close(Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      if (running.get()) {
        LOG.error("workbench feed stopped: {}", e.toString());
      }
    } finally {
      Pending p;
      while ((p = pending.poll()) != null) {
        p.done.completeExceptionally(new IllegalStateException("workbench is shutting down"));
      }
    }
  }

  private KafkaProducer<String, Label> producer() {
    KafkaProducer<String, Label> p =
        new KafkaProducer<>(producerConfig, new StringSerializer(), topics.labels.valueSerde().serializer());
    p.initTransactions();
    return p;
  }

  /** Writes every queued label in one transaction; returns the producer to use next (a new one after a fatal error). */
  private KafkaProducer<String, Label> flush(KafkaConsumer<String, AnnotationRequest> c, KafkaProducer<String, Label> producer) {
    List<Pending> batch = new ArrayList<>();
    Pending p;
    while ((p = pending.poll()) != null) {
      batch.add(p);
    }
    if (batch.isEmpty()) {
      return producer;
    }
    List<String> queryIds = batch.stream().map(b -> b.label.getQueryId()).filter(Objects::nonNull).toList();
    long now = System.currentTimeMillis();
    try {
      producer.beginTransaction();
      for (Pending b : batch) {
        producer.send(new ProducerRecord<>(topics.labels.name(), b.label.getId(), b.label));
      }
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      desk.committable(queryIds, now).forEach((part, off) -> offsets.put(new TopicPartition(topics.queries.name(), part),
          new OffsetAndMetadata(off, AnsweredOffsets.metadata(desk.answeredAbove(part, off, queryIds)))));
      if (!offsets.isEmpty()) {
        producer.sendOffsetsToTransaction(offsets, c.groupMetadata());
      }
      producer.commitTransaction();
      desk.written(queryIds, now);
      batch.forEach(b -> b.done.complete(null));
      return producer;
    } catch (KafkaException e) {
      LOG.warn("writing {} label(s) failed, retrying: {}", batch.size(), e.toString());
      // put them back in order, ahead of newer ones; the next loop retries them
      List<Pending> rest = new ArrayList<>(pending);
      pending.clear();
      pending.addAll(batch);
      pending.addAll(rest);
      try {
        producer.abortTransaction();
        return producer;
      } catch (KafkaException fatal) {
        producer.close(Duration.ZERO);
        return producer();
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    KafkaConsumer<String, AnnotationRequest> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    thread.join(TimeUnit.SECONDS.toMillis(15));
  }
}
