package io.alvlm.broker;

import io.alvlm.stream.DeadLetterDeserializationHandler;
import org.junit.jupiter.api.Timeout;
import java.util.concurrent.TimeUnit;
import io.alvlm.topics.TopicMismatchException;
import io.alvlm.topics.TopicProvisioner;
import io.alvlm.topics.TopicSpec;
import io.alvlm.topics.TopicSpecs;
import io.alvlm.topics.Topics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.avro.DeadLetter;
import io.alvlm.avro.ImageEvent;
import io.alvlm.avro.Label;
import io.alvlm.serde.AvroSerdes;
import io.alvlm.serde.RecordDecodingException;
import io.alvlm.serde.SampleRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real KRaft broker in the test JVM, driven with alvlm's serdes, topics and handlers. */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class EmbeddedKafkaIT {
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @Test
  void carriesRecordsInSingleObjectEncoding() {
    Topics topics = new Topics(AvroSerdes.singleObject());
    String topic = newTopic(1);
    send(topic, topics.images.keySerde().serializer(), topics.images.valueSerde().serializer(),
        List.of(SampleRecords.image("a"), SampleRecords.image("b")), ImageEvent::getId, Map.of());
    List<ImageEvent> read = values(poll(topic, topics.images.valueSerde().deserializer(), 2, Map.of()));
    assertEquals(List.of(SampleRecords.image("a"), SampleRecords.image("b")), read);
  }

  @Test
  void carriesRecordsInConfluentFormatThroughTheRegistry() throws Exception {
    try (SchemaRegistryStandIn registry = SchemaRegistryStandIn.start()) {
      Topics topics = new Topics(AvroSerdes.from(registry.serdeConfig()));
      String topic = newTopic(1);
      send(topic, topics.labels.keySerde().serializer(), topics.labels.valueSerde().serializer(),
          List.of(SampleRecords.label("a")), Label::getId, Map.of());
      Topics reader = new Topics(AvroSerdes.from(registry.serdeConfig()));
      List<ConsumerRecord<String, Label>> read = poll(topic, reader.labels.valueSerde().deserializer(), 1, Map.of());
      assertEquals(SampleRecords.label("a"), read.get(0).value());
      assertEquals(1, registry.calls("POST /subjects/versions"));
      assertEquals(1, registry.calls("GET /schemas/ids"));
    }
  }

  @Test
  void readCommittedConsumersSeeOnlyCommittedTransactions() {
    Topics topics = new Topics(AvroSerdes.singleObject());
    String topic = newTopic(1);
    Map<String, Object> txn = Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-" + topic);
    try (KafkaProducer<String, Label> p = new KafkaProducer<>(producerConfig(txn),
        topics.labels.keySerde().serializer(), topics.labels.valueSerde().serializer())) {
      p.initTransactions();
      p.beginTransaction();
      p.send(new ProducerRecord<>(topic, "aborted", SampleRecords.label("aborted")));
      p.flush();
      p.abortTransaction();
      p.beginTransaction();
      p.send(new ProducerRecord<>(topic, "committed", SampleRecords.label("committed")));
      p.commitTransaction();
    }
    List<ConsumerRecord<String, Label>> read = poll(topic, topics.labels.valueSerde().deserializer(), 1,
        Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
    assertEquals(List.of("committed"), read.stream().map(ConsumerRecord::key).toList());
  }

  @Test
  void consumersNameTheTopicPartitionAndOffsetOfAnUndecodableRecord() {
    Topics topics = new Topics(AvroSerdes.singleObject());
    String topic = newTopic(1);
    send(topic, new ByteArraySerializer(), new ByteArraySerializer(), List.of(new byte[] {9, 9, 9}),
        v -> "k".getBytes(), Map.of());
    try (KafkaConsumer<String, Label> c = consumer(topics.labels.valueSerde().deserializer(), Map.of())) {
      c.subscribe(List.of(topic));
      RecordDeserializationException e = assertThrows(RecordDeserializationException.class, () -> {
        for (int i = 0; i < 100; i++) {
          c.poll(Duration.ofMillis(200));
        }
      });
      assertEquals(topic, e.topicPartition().topic());
      assertEquals(0, e.offset());
      RecordDecodingException cause = assertInstanceOf(RecordDecodingException.class, e.getCause());
      assertEquals("bad-magic", cause.reason());
      assertTrue(cause.getMessage().contains(topic), cause.getMessage());
    }
  }

  @Test
  void provisionerCreatesAlvlmsTopicsThenFindsThemMatching() throws Exception {
    List<TopicSpec> specs = TopicSpecs.of(2, java.util.Optional.empty());
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      TopicProvisioner provisioner = new TopicProvisioner(admin);
      assertEquals(specs.size(), provisioner.ensure(specs, true).size());
      assertEquals(List.of(), provisioner.ensure(specs, true));
      provisioner.verify(specs);
      assertEquals("compact", admin.describeConfigs(List.of(new org.apache.kafka.common.config.ConfigResource(
          org.apache.kafka.common.config.ConfigResource.Type.TOPIC, TopicSpecs.MODELS))).all().get()
          .values().iterator().next().get("cleanup.policy").value());
    }
  }

  @Test
  void provisionerExplainsMissingAndMismatchedTopics() throws Exception {
    String wrong = "wrong-" + UUID.randomUUID();
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      admin.createTopics(List.of(new NewTopic(wrong, 3, (short) 1))).all().get();
      TopicProvisioner provisioner = new TopicProvisioner(admin);
      List<TopicSpec> specs = List.of(new TopicSpec(wrong, 1, true, Optional.empty()),
          new TopicSpec("absent-" + wrong, 1, false, Optional.empty()));
      TopicMismatchException e = assertThrows(TopicMismatchException.class, () -> provisioner.ensure(specs, false));
      assertTrue(e.getMessage().contains("has 3 partition(s), alvlm needs 1"), e.getMessage());
      assertTrue(e.getMessage().contains("cleanup.policy=delete, alvlm needs compact"), e.getMessage());
      assertTrue(e.getMessage().contains("absent-" + wrong + " does not exist"), e.getMessage());
    }
  }

  @Test
  void streamsAppRunsExactlyOnceAndDeadLettersUndecodableRecords() throws Exception {
    Topics topics = new Topics(AvroSerdes.singleObject());
    String in = newTopic(1);
    String out = newTopic(1);
    String dlq = newTopic(1);
    StreamsBuilder b = new StreamsBuilder();
    b.stream(in, topics.labels.consumed()).mapValues(Label::getAnnotator).to(out, Produced.with(Serdes.String(), Serdes.String()));
    Map<String, Object> cfg = new HashMap<>(kafka.clientConfig());
    cfg.put(StreamsConfig.APPLICATION_ID_CONFIG, "it-" + in);
    cfg.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    cfg.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("alvlm-streams-").toString());
    cfg.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    cfg.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
    cfg.put(DeadLetterDeserializationHandler.DLQ_TOPIC, dlq);
    cfg.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");

    send(in, topics.labels.keySerde().serializer(), topics.labels.valueSerde().serializer(),
        List.of(SampleRecords.label("a")), Label::getId, Map.of());
    send(in, new ByteArraySerializer(), new ByteArraySerializer(), List.of(new byte[] {0, 0, 0, 0, 1}),
        v -> "bad".getBytes(), Map.of());
    send(in, topics.labels.keySerde().serializer(), topics.labels.valueSerde().serializer(),
        List.of(SampleRecords.label("c")), Label::getId, Map.of());

    try (KafkaStreams streams = new KafkaStreams(b.build(), new StreamsConfig(cfg))) {
      streams.start();
      Map<String, Object> committed = Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      List<ConsumerRecord<String, String>> copied = poll(out, Serdes.String().deserializer(), 2, committed);
      assertEquals(List.of("a", "c"), copied.stream().map(ConsumerRecord::key).toList());
      DeadLetter letter = poll(dlq, topics.dlq.valueSerde().deserializer(), 1, committed).get(0).value();
      assertEquals(in, letter.getTopic());
      assertEquals(1L, letter.getOffset());
      assertEquals("bad-magic", letter.getReason());
      streams.close(Duration.ofSeconds(10));
    }
  }

  @Test
  void restartsOnItsFolderWithItsData(@TempDir Path dir) {
    Topics topics = new Topics(AvroSerdes.singleObject());
    String bootstrap;
    try (EmbeddedKafka first = EmbeddedKafka.start(dir.resolve("broker"))) {
      bootstrap = first.bootstrapServers();
      try (Admin admin = Admin.create(first.clientConfig())) {
        new TopicProvisioner(admin).ensure(TopicSpecs.of(1, java.util.Optional.empty()), true);
      }
      try (KafkaProducer<String, Label> p = new KafkaProducer<>(Map.of("bootstrap.servers", first.bootstrapServers()),
          topics.labels.keySerde().serializer(), topics.labels.valueSerde().serializer())) {
        p.send(new ProducerRecord<>(TopicSpecs.LABELS, "a", SampleRecords.label("a")));
      }
    }
    try (EmbeddedKafka second = EmbeddedKafka.start(dir.resolve("broker"))) {
      assertEquals(bootstrap, second.bootstrapServers());
      Map<String, Object> cfg = new HashMap<>(second.clientConfig());
      cfg.put(ConsumerConfig.GROUP_ID_CONFIG, "g-restart");
      cfg.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      try (KafkaConsumer<String, Label> c = new KafkaConsumer<>(cfg, Serdes.String().deserializer(),
          topics.labels.valueSerde().deserializer())) {
        c.subscribe(List.of(TopicSpecs.LABELS));
        List<Label> read = new ArrayList<>();
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (read.isEmpty() && System.nanoTime() < end) {
          c.poll(Duration.ofMillis(200)).forEach(r -> read.add(r.value()));
        }
        assertEquals(List.of(SampleRecords.label("a")), read);
      }
    }
  }

  private static String newTopic(int partitions) {
    String name = "it-" + UUID.randomUUID();
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return name;
  }

  private static Map<String, Object> producerConfig(Map<String, Object> extra) {
    Map<String, Object> cfg = new HashMap<>(kafka.clientConfig());
    cfg.put(ProducerConfig.ACKS_CONFIG, "all");
    cfg.putAll(extra);
    return cfg;
  }

  private static <K, V> void send(String topic, Serializer<K> ks, Serializer<V> vs, List<V> values,
      java.util.function.Function<V, K> key, Map<String, Object> extra) {
    try (KafkaProducer<K, V> p = new KafkaProducer<>(producerConfig(extra), ks, vs)) {
      for (V v : values) {
        p.send(new ProducerRecord<>(topic, key.apply(v), v));
      }
      p.flush();
    }
  }

  private static <V> KafkaConsumer<String, V> consumer(Deserializer<V> vd, Map<String, Object> extra) {
    Map<String, Object> cfg = new HashMap<>(kafka.clientConfig());
    cfg.put(ConsumerConfig.GROUP_ID_CONFIG, "g-" + UUID.randomUUID());
    cfg.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    cfg.putAll(extra);
    return new KafkaConsumer<>(cfg, Serdes.String().deserializer(), vd);
  }

  /** Polls until {@code n} records came (30 s at most). */
  private static <V> List<ConsumerRecord<String, V>> poll(String topic, Deserializer<V> vd, int n,
      Map<String, Object> extra) {
    List<ConsumerRecord<String, V>> got = new ArrayList<>();
    try (KafkaConsumer<String, V> c = consumer(vd, extra)) {
      c.subscribe(List.of(topic));
      long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (got.size() < n && System.nanoTime() < end) {
        c.poll(Duration.ofMillis(200)).forEach(got::add);
      }
    }
    assertEquals(n, got.size(), "records on " + topic);
    return got;
  }

  private static <V> List<V> values(List<ConsumerRecord<String, V>> records) {
    return records.stream().map(ConsumerRecord::value).toList();
  }
}
