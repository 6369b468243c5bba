package io.alvlm.cli;

import io.alvlm.avro.ImageEvent;
import io.alvlm.serde.AvroSerdes;
import io.alvlm.stream.EmbeddedKafka;
import io.alvlm.stream.TopicProvisioner;
import io.alvlm.stream.TopicSpecs;
import io.alvlm.stream.Topics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code alvlm demo}: for now, starts the embedded broker, creates alvlm's topics and sends one
 * image event through {@code alvlm.images} and back. The active-learning demo comes with the service.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run alvlm end to end on an embedded Kafka broker (for now: broker, topics, one record).")
final class Demo implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--dir", description = "Keep the broker's data in this folder (default: a temporary folder).")
  Path dir;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (EmbeddedKafka kafka = dir == null ? EmbeddedKafka.start() : EmbeddedKafka.start(dir)) {
      out.println("broker: " + kafka.bootstrapServers() + " (KRaft, in this JVM, data in " + kafka.dir() + ")");
      try (Admin admin = Admin.create(kafka.clientConfig())) {
        List<String> created = new TopicProvisioner(admin).ensure(TopicSpecs.from(Map.of()), true);
        out.println("topics: created " + created + ", all " + TopicSpecs.from(Map.of()).size() + " match their specs");
      }
      Topics topics = new Topics(AvroSerdes.singleObject());
      ImageEvent event = ImageEvent.newBuilder().setId("demo-1").setUri("file:/demo/1.png")
          .setTimestamp(Instant.now()).build();
      try (KafkaProducer<String, ImageEvent> p = new KafkaProducer<>(kafka.clientConfig(),
          topics.images.keySerde().serializer(), topics.images.valueSerde().serializer())) {
        p.send(new ProducerRecord<>(topics.images.name(), event.getId(), event));
      }
      Map<String, Object> cc = new java.util.HashMap<>(kafka.clientConfig());
      cc.put("group.id", "alvlm-demo");
      cc.put("auto.offset.reset", "earliest");
      try (KafkaConsumer<String, ImageEvent> c = new KafkaConsumer<>(cc,
          topics.images.keySerde().deserializer(), topics.images.valueSerde().deserializer())) {
        c.subscribe(List.of(topics.images.name()));
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < end) {
          for (ConsumerRecord<String, ImageEvent> r : c.poll(Duration.ofMillis(200))) {
            out.println("read back from " + r.topic() + "-" + r.partition() + "@" + r.offset() + ": " + r.value().getId()
                + " (" + r.serializedValueSize() + " bytes, Avro single-object encoding)");
            out.println("The active-learning demo (embedder, pool, CEC queries, CoOp training) comes with the service.");
            return 0;
          }
        }
      }
      spec.commandLine().getErr().println("demo: the record did not come back within 30 s");
      return 1;
    }
  }
}
