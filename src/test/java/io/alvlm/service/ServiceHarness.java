package io.alvlm.service;

import io.alvlm.config.ServiceConfig;
import io.alvlm.broker.EmbeddedKafka;
import io.alvlm.topics.TopicProvisioner;
import io.alvlm.topics.TopicSpecs;
import io.alvlm.topics.Topics;
import io.alvlm.avro.ImageEvent;
import io.alvlm.data.IdxDataset;
import io.alvlm.serde.AvroSerdes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Shared pieces of the service integration tests: settings, image producer, read-committed topic reads. */
public final class ServiceHarness {
  public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
      "Sneaker", "Bag", "Ankle boot");

  private ServiceHarness() {}

  public static IdxDataset fashion() throws IOException {
    return IdxDataset.read(Path.of("data/fashion-mnist"), "train");
  }

  public static Map<String, String> settings(EmbeddedKafka kafka, Path state) {
    Map<String, String> s = new HashMap<>();
    s.put("bootstrap.servers", kafka.bootstrapServers());
    s.put("state.dir", state.toString());
    s.put("model.dir", Path.of("models/clip-tiny").toAbsolutePath().toString());
    s.put("classes", String.join(",", CLASSES));
    s.put("http.port", "0");
    s.put("http.bind", "127.0.0.1");
    s.put("query.tick.ms", "200");
    s.put("embed.max.wait.ms", "200");
    s.put("topics.images.partitions", "2");
    // clip-tiny's random weights embed Fashion-MNIST images above cosine 0.97 of one another: dedup would
    // shrink the rounds these tests count, and rechecks would ask labelled images again in them
    // (WorkbenchRecheckIT and the pool's tests cover both)
    s.put("query.dedup.cosine", "off");
    s.put("query.recheck.share", "0");
    return s;
  }

  public static void writeConfig(Path file, Map<String, String> settings) throws IOException {
    Properties p = new Properties();
    p.putAll(settings);
    try (var w = Files.newBufferedWriter(file)) {
      p.store(w, "alvlm test instance");
    }
  }

  /** Creates alvlm's topics as the service would (a producer may run before the service). */
  public static void createTopics(EmbeddedKafka kafka, Map<String, String> settings) {
    try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(kafka.clientConfig())) {
      new TopicProvisioner(admin).ensure(TopicSpecs.from(ServiceConfig.of(settings)), true);
    }
  }

  /** Sends images {@code from..to-1} of the dataset as inline PNG events with ids {@code img-<i>}. */
  public static void produce(EmbeddedKafka kafka, Topics topics, IdxDataset data, int from, int to) {
    Map<String, Object> p = new HashMap<>(kafka.clientConfig());
    p.put("enable.idempotence", true);
    p.put("acks", "all");
    // one batch in flight: on a loaded machine a first batch whose answer timed out was retried after
    // later ones had landed, and the broker refused it (OutOfOrderSequenceException) until the images
    // were dropped and the test waited for a round that never came
    p.put("max.in.flight.requests.per.connection", 1);
    p.put("linger.ms", 20);
    try (KafkaProducer<String, ImageEvent> producer =
        new KafkaProducer<>(p, new StringSerializer(), topics.images.valueSerde().serializer())) {
      for (int i = from; i < to; i++) {
        producer.send(new ProducerRecord<>(topics.images.name(), "img-" + i, ImageEvent.newBuilder().setId("img-" + i)
            .setBytes(ByteBuffer.wrap(data.png(i))).setTimestamp(Instant.now()).build()));
      }
      producer.flush();
    }
  }

  public static void produceRaw(EmbeddedKafka kafka, String topic, String key, byte[] value) {
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.clientConfig(), new StringSerializer(),
        new org.apache.kafka.common.serialization.ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, key, value));
      producer.flush();
    }
  }

  public static Topics topics() {
    return new Topics(AvroSerdes.singleObject());
  }

  /** Every committed record of {@code topic} until {@code done} holds for the list read so far, or the timeout. */
  public static <V> List<ConsumerRecord<String, V>> readUntil(EmbeddedKafka kafka, String topic, Deserializer<V> values,
      Predicate<List<ConsumerRecord<String, V>>> done, Duration timeout) {
    Map<String, Object> c = new HashMap<>(kafka.clientConfig());
    c.put("group.id", "it-reader-" + System.nanoTime());
    c.put("isolation.level", "read_committed");
    c.put("auto.offset.reset", "earliest");
    List<ConsumerRecord<String, V>> out = new ArrayList<>();
    long end = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(c, new StringDeserializer(), values)) {
      consumer.subscribe(List.of(topic));
      while (System.nanoTime() < end && !done.test(out)) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }
}
