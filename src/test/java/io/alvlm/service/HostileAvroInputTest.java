package io.alvlm.service;

import io.alvlm.config.ServiceConfig;
import io.alvlm.stream.ServiceMetrics;
import io.alvlm.topics.Topics;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.avro.DeadLetter;
import io.alvlm.avro.ImageEmbedding;
import io.alvlm.avro.Label;
import io.alvlm.avro.LabelOutcome;
import io.alvlm.avro.TrainingEvent;
import io.alvlm.avro.VectorPrecision;
import io.alvlm.data.VectorBytes;
import io.alvlm.serde.AvroSerdes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bytes that are no record of ours, on {@code alvlm.labels}, through the real
 * pool topology and the service's Streams config (the same on
 * {@code alvlm.images}: {@link HostileImageInputTest}): each becomes a dead letter (stage deserialization, the
 * decoder's reason, the original bytes) and the next good record still flows.
 */
class HostileAvroInputTest {
  private static final List<String> CLASSES = List.of("cat", "dog");
  @TempDir Path state;
  private TopologyTestDriver driver;
  private Topics topics;
  private TestInputTopic<String, byte[]> rawLabels;
  private TestOutputTopic<String, TrainingEvent> training;
  private TestOutputTopic<byte[], DeadLetter> dlq;

  @BeforeEach
  void start() {
    ServiceConfig c = ServiceConfig.of(Map.of("role", "pool", "classes", String.join(",", CLASSES),
        "query.min-new", "1000", "query.interval.ms", "3600000", "state.dir", state.toString()));
    AvroSerdes serdes = AvroSerdes.singleObject();
    topics = new Topics(serdes);
    var topo = ServiceTopology.build(c, serdes, new ServiceTopology.Parts(null, io.alvlm.pool.PoolParts.from(c), null,
        new ServiceMetrics(new SimpleMeterRegistry())));
    driver = new TopologyTestDriver(topo, HostileInput.driverConfig(c), Instant.ofEpochMilli(1_000_000));
    TestInputTopic<String, ImageEmbedding> embeddings = driver.createInputTopic(topics.embeddings.name(),
        Serdes.String().serializer(), topics.embeddings.valueSerde().serializer());
    embeddings.pipeInput("img1", ImageEmbedding.newBuilder().setId("img1").setModelId("test")
        .setVector(VectorBytes.float32(new float[] {1, 0, 0, 0})).setPrecision(VectorPrecision.FLOAT32).setDim(4)
        .setImageTimestamp(Instant.EPOCH).setEmbeddedAt(Instant.EPOCH).build());
    rawLabels = driver.createInputTopic(topics.labels.name(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
    training = driver.createOutputTopic(topics.training.name(), Serdes.String().deserializer(),
        topics.training.valueSerde().deserializer());
    dlq = driver.createOutputTopic(topics.dlq.name(), Serdes.ByteArray().deserializer(), topics.dlq.valueSerde().deserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  private byte[] goodLabel() {
    return topics.labels.valueSerde().serializer().serialize(topics.labels.name(), Label.newBuilder().setId("img1")
        .setOutcome(LabelOutcome.LABELED).setClassName("dog").setAnnotator("a").setLabeledAt(Instant.EPOCH).build());
  }

  private DeadLetter onlyDeadLetter(String reason, byte[] sent) {
    List<DeadLetter> letters = dlq.readValuesToList();
    assertEquals(1, letters.size(), "one dead letter");
    DeadLetter d = letters.get(0);
    assertEquals("deserialization", d.getStage());
    assertEquals(reason, d.getReason(), d.getError());
    assertArrayEquals(sent, d.getValue().array(), "the original bytes, for replay");
    return d;
  }

  private void nextGoodLabelFlows() {
    rawLabels.pipeInput("img1", goodLabel());
    List<TrainingEvent> events = training.readValuesToList();
    assertEquals(1, events.size(), "the stream goes on");
    assertEquals("dog", events.get(0).getClassName());
  }

  @Test
  void deadLettersALabelThatIsNotAvroAtAll() {
    byte[] junk = "{\"id\":\"img1\",\"className\":\"dog\"}".getBytes();
    rawLabels.pipeInput("img1", junk);
    DeadLetter d = onlyDeadLetter("bad-magic", junk);
    assertEquals(topics.labels.name(), d.getTopic());
    assertArrayEquals("img1".getBytes(), d.getKey().array());
    nextGoodLabelFlows();
  }

  @Test
  void deadLettersALabelWithAnUnknownSchemaFingerprint() {
    byte[] good = goodLabel();
    byte[] unknown = good.clone();
    for (int i = 2; i < 10; i++) {
      unknown[i] = (byte) ~unknown[i]; // same body, a fingerprint no schema version has
    }
    rawLabels.pipeInput("img1", unknown);
    DeadLetter d = onlyDeadLetter("unknown-schema", unknown);
    assertTrue(d.getError().contains("Label"), d.getError());
    nextGoodLabelFlows();
  }

  @Test
  void deadLettersALabelCutShort() {
    byte[] good = goodLabel();
    byte[] cut = Arrays.copyOf(good, 14);
    rawLabels.pipeInput("img1", cut);
    onlyDeadLetter("truncated", cut);
    nextGoodLabelFlows();
  }
}
