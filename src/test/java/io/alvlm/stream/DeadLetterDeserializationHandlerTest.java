package io.alvlm.stream;

import io.alvlm.topics.Topics;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.avro.DeadLetter;
import io.alvlm.avro.Label;
import io.alvlm.serde.AvroSerdes;
import io.alvlm.serde.SampleRecords;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

class DeadLetterDeserializationHandlerTest {
  private final Topics topics = new Topics(AvroSerdes.singleObject());

  /** labels -> (annotator as value) -> a plain output topic. */
  private Topology copyLabels() {
    StreamsBuilder b = new StreamsBuilder();
    b.stream(topics.labels.name(), topics.labels.consumed())
        .mapValues(Label::getAnnotator)
        .to("out", org.apache.kafka.streams.kstream.Produced.with(Serdes.String(), Serdes.String()));
    return b.build();
  }

  private static Properties config(String dlqTopic) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "dlq-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
    if (dlqTopic != null) {
      p.put(DeadLetterDeserializationHandler.DLQ_TOPIC, dlqTopic);
    }
    return p;
  }

  @Test
  void sendsUndecodableRecordsToTheDeadLetterTopicAndContinues() {
    try (TopologyTestDriver driver = new TopologyTestDriver(copyLabels(), config(null))) {
      TestInputTopic<byte[], byte[]> raw = driver.createInputTopic(topics.labels.name(),
          new ByteArraySerializer(), new ByteArraySerializer());
      TestInputTopic<String, Label> labels = driver.createInputTopic(topics.labels.name(),
          topics.labels.keySerde().serializer(), topics.labels.valueSerde().serializer());
      TestOutputTopic<byte[], DeadLetter> dlq = driver.createOutputTopic(topics.dlq.name(),
          topics.dlq.keySerde().deserializer(), topics.dlq.valueSerde().deserializer());
      TestOutputTopic<String, String> out = driver.createOutputTopic("out",
          Serdes.String().deserializer(), Serdes.String().deserializer());

      labels.pipeInput("img-1", SampleRecords.label("img-1"));
      raw.pipeInput("img-2".getBytes(), new byte[] {1, 2, 3});
      labels.pipeInput("img-3", SampleRecords.label("img-3"));

      assertEquals(List.of("img-1", "img-3"), out.readRecordsToList().stream().map(TestRecord::key).toList());
      List<TestRecord<byte[], DeadLetter>> letters = dlq.readRecordsToList();
      assertEquals(1, letters.size());
      DeadLetter letter = letters.get(0).value();
      assertArrayEquals("img-2".getBytes(), letters.get(0).key());
      assertEquals("deserialization", letter.getStage());
      assertEquals("bad-magic", letter.getReason());
      assertEquals(topics.labels.name(), letter.getTopic());
      assertEquals(0, letter.getPartition());
      assertEquals(1L, letter.getOffset());
      assertArrayEquals(new byte[] {1, 2, 3}, letter.getValue().array());
      assertTrue(letter.getError().contains("alvlm.labels partition 0 offset 1"), letter.getError());
    }
  }

  @Test
  void usesTheConfiguredDeadLetterTopic() {
    try (TopologyTestDriver driver = new TopologyTestDriver(copyLabels(), config("ops.dead"))) {
      driver.createInputTopic(topics.labels.name(), new ByteArraySerializer(), new ByteArraySerializer())
          .pipeInput("k".getBytes(), new byte[] {(byte) 0xC3, 1, 0});
      DeadLetter letter = driver.createOutputTopic("ops.dead", topics.dlq.keySerde().deserializer(),
          topics.dlq.valueSerde().deserializer()).readValue();
      assertEquals("truncated", letter.getReason());
    }
  }

  @Test
  void failsTheTaskRatherThanDeadLetteringWhenTheRegistryIsDown() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Properties p = config(null);
    p.put("serde.format", "confluent");
    p.put("schema.registry.url", "http://127.0.0.1:" + port);
    p.put("schema.registry.retry.deadline.ms", "2000"); // the task's failure, not the retry deadline, is under test
    Topics confluent = new Topics(AvroSerdes.from(java.util.Map.of("serde.format", "confluent",
        "schema.registry.url", "http://127.0.0.1:" + port, "schema.registry.retry.deadline.ms", "2000")));
    StreamsBuilder b = new StreamsBuilder();
    b.stream(confluent.labels.name(), confluent.labels.consumed()).mapValues(Label::getAnnotator)
        .to("out", org.apache.kafka.streams.kstream.Produced.with(Serdes.String(), Serdes.String()));
    try (TopologyTestDriver driver = new TopologyTestDriver(b.build(), p)) {
      TestInputTopic<byte[], byte[]> raw = driver.createInputTopic(confluent.labels.name(),
          new ByteArraySerializer(), new ByteArraySerializer());
      org.apache.kafka.streams.errors.StreamsException e = org.junit.jupiter.api.Assertions.assertThrows(
          org.apache.kafka.streams.errors.StreamsException.class,
          () -> raw.pipeInput("k".getBytes(), new byte[] {0, 0, 0, 0, 1, 2, 'a'}));
      boolean registryCause = false;
      for (Throwable t = e; t != null; t = t.getCause()) {
        registryCause |= t instanceof io.alvlm.serde.SchemaRegistryException;
      }
      assertTrue(registryCause, e.toString());
      assertTrue(driver.createOutputTopic(topics.dlq.name(), topics.dlq.keySerde().deserializer(),
          topics.dlq.valueSerde().deserializer()).isEmpty());
    }
  }
}
