package io.alvlm.embedder;

import io.alvlm.config.ServiceConfig;
import io.alvlm.service.AlvlmService;
import io.alvlm.service.ServiceTopology;
import io.alvlm.stream.ServiceMetrics;
import io.alvlm.topics.Topics;
import io.alvlm.avro.DeadLetter;
import io.alvlm.avro.ImageEmbedding;
import io.alvlm.avro.ImageEvent;
import io.alvlm.serde.AvroSerdes;
import java.time.Instant;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** The embedder sub-topology of a config on TopologyTestDriver, with its image input, embedding and DLQ outputs. */
final class EmbedderDriver implements AutoCloseable {
  final TopologyTestDriver driver;
  final TestInputTopic<String, ImageEvent> in;
  final TestOutputTopic<String, ImageEmbedding> out;
  final TestOutputTopic<byte[], DeadLetter> dlq;

  EmbedderDriver(ServiceConfig c, ImageTower tower, ServiceMetrics metrics) {
    AvroSerdes serdes = AvroSerdes.singleObject();
    Topics topics = new Topics(serdes);
    var topo = ServiceTopology.build(c, serdes, new ServiceTopology.Parts(tower, null, null, metrics));
    driver = new TopologyTestDriver(topo, AlvlmService.streamsConfig(c), Instant.ofEpochMilli(1_000_000));
    in = driver.createInputTopic(topics.images.name(), Serdes.String().serializer(), topics.images.valueSerde().serializer());
    out = driver.createOutputTopic(topics.embeddings.name(), Serdes.String().deserializer(),
        topics.embeddings.valueSerde().deserializer());
    dlq = driver.createOutputTopic(topics.dlq.name(), Serdes.ByteArray().deserializer(), topics.dlq.valueSerde().deserializer());
  }

  @Override
  public void close() {
    driver.close();
  }
}
