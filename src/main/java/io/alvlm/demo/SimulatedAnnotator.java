package io.alvlm.demo;

import io.alvlm.avro.AnnotationRequest;
import io.alvlm.avro.Label;
import io.alvlm.avro.LabelOutcome;
import io.alvlm.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * An annotator that answers every {@link AnnotationRequest} on the queries topic with the true class
 * of the image (read-committed consumer, idempotent producer), as a labelling tool would. Runs on
 * its own thread until {@link #close()}.
 */
public final class SimulatedAnnotator implements AutoCloseable {
  private final Thread thread;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger answered = new AtomicInteger();

  /** @param truth the true class name of an image id (null: answer "none of these") */
  public SimulatedAnnotator(Map<String, Object> clientConfig, Topics topics, Function<String, String> truth) {
    Objects.requireNonNull(truth);
    Map<String, Object> c = new HashMap<>(clientConfig);
    c.put("group.id", "alvlm-simulated-annotator");
    c.put("isolation.level", "read_committed");
    c.put("auto.offset.reset", "earliest");
    Map<String, Object> p = new HashMap<>(clientConfig);
    p.put("enable.idempotence", true);
    p.put("acks", "all");
    thread = new Thread(() -> loop(c, p, topics, truth), "simulated-annotator");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop(Map<String, Object> cc, Map<String, Object> pc, Topics topics, Function<String, String> truth) {
    try (KafkaConsumer<String, AnnotationRequest> consumer =
            new KafkaConsumer<>(cc, new StringDeserializer(), topics.queries.valueSerde().deserializer());
        KafkaProducer<String, Label> producer =
            new KafkaProducer<>(pc, new StringSerializer(), topics.labels.valueSerde().serializer())) {
      consumer.subscribe(List.of(topics.queries.name()));
      while (running.get()) {
        for (ConsumerRecord<String, AnnotationRequest> r : consumer.poll(Duration.ofMillis(200))) {
          AnnotationRequest q = r.value();
          String cls = truth.apply(q.getId());
          Label l = Label.newBuilder().setId(q.getId())
              .setOutcome(cls == null ? LabelOutcome.NONE_OF_THESE : LabelOutcome.LABELED)
              .setClassName(cls).setAnnotator("simulated").setQueryId(q.getQueryId()).setLabeledAt(Instant.now()).build();
          producer.send(new ProducerRecord<>(topics.labels.name(), q.getId(), l));
          answered.incrementAndGet();
        }
        producer.flush();
        consumer.commitSync();
      }
    } catch (org.apache.kafka.common.errors.InterruptException e) {
      Thread.currentThread().interrupt();
    }
  }

  public int answered() {
    return answered.get();
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.join(10_000);
  }
}
