package io.alvlm.service;

import io.alvlm.broker.SchemaRegistryStandIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.avro.QueryRound;
import io.alvlm.avro.Label;
import io.alvlm.config.ServiceConfig;
import io.alvlm.serde.AvroSerdes;
import io.alvlm.serde.RegistryRetry;
import io.alvlm.serde.SampleRecords;
import io.alvlm.serde.SerdeConfig;
import io.alvlm.topics.TopicSpecs;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;

/**
 * Registry calls stay out of transactions: an instance waits for the registry before its streams start,
 * and a call that is left for a stream thread gives up well before the transaction timeout.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RegistryWarmupTest {
  @Test
  void aStreamThreadCallGivesUpAt40PercentOfTheTransactionTimeout() {
    Map<String, String> s = new HashMap<>(Map.of("serde.format", "confluent", SerdeConfig.REGISTRY_URL, "http://127.0.0.1:1"));
    assertEquals("4000", RegistryWarmup.streamThreadSettings(ServiceConfig.of(s)).get(RegistryRetry.DEADLINE_MS),
        "Kafka Streams' 10 s under exactly-once");
    s.put("kafka.producer.transaction.timeout.ms", "30000");
    assertEquals("12000", RegistryWarmup.streamThreadSettings(ServiceConfig.of(s)).get(RegistryRetry.DEADLINE_MS));
    s.put(RegistryRetry.DEADLINE_MS, "2000");
    assertEquals("2000", RegistryWarmup.streamThreadSettings(ServiceConfig.of(s)).get(RegistryRetry.DEADLINE_MS),
        "a shorter deadline is kept");
  }

  @Test
  void theStreamsStartOnlyOnceTheRegistryAnswersAndNotAtAllWhenClosedBefore(@TempDir Path state) throws Exception {
    int port = freePort();
    Map<String, String> s = new HashMap<>(Map.of("serde.format", "confluent", "role", "pool",
        "bootstrap.servers", "127.0.0.1:" + freePort(), "state.dir", state.toString(),
        SerdeConfig.REGISTRY_URL, "http://127.0.0.1:" + port,
        SerdeConfig.BASIC_AUTH_USER_INFO, SchemaRegistryStandIn.USER + ":" + SchemaRegistryStandIn.PASSWORD,
        RegistryRetry.DEADLINE_MS, "300"));
    ServiceConfig c = ServiceConfig.of(s);
    StreamsBuilder b = new StreamsBuilder();
    b.stream("in").to("out");
    AvroSerdes serdes = AvroSerdes.from(RegistryWarmup.streamThreadSettings(c));
    try (KafkaStreams streams = new KafkaStreams(b.build(), AlvlmService.streamsConfig(ServiceConfig.of(Map.of(
        "bootstrap.servers", s.get("bootstrap.servers"), "state.dir", state.resolve("a").toString()))))) {
      Thread t = RegistryWarmup.thenStart(c, serdes, streams);
      io.alvlm.Await.until("the first registry call failed", java.time.Duration.ofSeconds(60),
          () -> !serdes.registryHealth().orElseThrow().answering());
      assertEquals(KafkaStreams.State.CREATED, streams.state(), "not started while the registry is away");
      try (SchemaRegistryStandIn registry = SchemaRegistryStandIn.start(port)) {
        t.join(60_000);
        assertFalse(t.isAlive());
        assertTrue(streams.state() != KafkaStreams.State.CREATED, "started once it answered: " + streams.state());
      }
      streams.close(Duration.ofSeconds(10));
    }
    AvroSerdes cold = AvroSerdes.from(RegistryWarmup.streamThreadSettings(c));
    try (KafkaStreams streams = new KafkaStreams(b.build(), AlvlmService.streamsConfig(ServiceConfig.of(Map.of(
        "bootstrap.servers", s.get("bootstrap.servers"), "state.dir", state.resolve("b").toString()))))) {
      Thread t = RegistryWarmup.thenStart(c, cold, streams);
      t.interrupt(); // the instance closing while it waits
      t.join(60_000);
      assertFalse(t.isAlive(), "the wait ends when interrupted");
      assertEquals(KafkaStreams.State.CREATED, streams.state(), "and the streams were not started");
    }
  }

  private static int freePort() throws java.io.IOException {
    try (ServerSocket free = new ServerSocket(0)) {
      return free.getLocalPort();
    }
  }

  @Test
  void aPoolWaitsForARegistryThatIsNotUpYetThenNeedsItNoMore() throws Exception {
    int port = freePort();
    Map<String, String> s = new HashMap<>(Map.of("serde.format", "confluent", "role", "pool",
        SerdeConfig.REGISTRY_URL, "http://127.0.0.1:" + port,
        SerdeConfig.BASIC_AUTH_USER_INFO, SchemaRegistryStandIn.USER + ":" + SchemaRegistryStandIn.PASSWORD,
        RegistryRetry.DEADLINE_MS, "500"));
    ServiceConfig c = ServiceConfig.of(s);
    AvroSerdes serdes = AvroSerdes.from(RegistryWarmup.streamThreadSettings(c));
    CompletableFuture<Void> warm = CompletableFuture.runAsync(() -> RegistryWarmup.run(c, serdes, RegistryWarmup.subjects(c)));
    var health = serdes.registryHealth().orElseThrow();
    io.alvlm.Await.until("the first registry call failed", java.time.Duration.ofSeconds(60), () -> !health.answering());
    assertFalse(warm.isDone(), "still waiting while no registry answers");
    byte[] label;
    try (SchemaRegistryStandIn registry = SchemaRegistryStandIn.start(port)) {
      // registered before the warm-up, still backing off from its first subject, can reach the labels
      registry.put(TopicSpecs.LABELS + "-value", io.alvlm.serde.RecordTypes.schemaOf(Label.class));
      label = AvroSerdes.from(registry.serdeConfig()).value(Label.class).serializer().serialize(TopicSpecs.LABELS,
          SampleRecords.label("img-1"));
      warm.get(60, TimeUnit.SECONDS);
      assertEquals(1, registry.versions(TopicSpecs.ROUNDS + "-value"), "the pool's own schemas are registered up front");
    }
    // the registry is gone again: a running pool reads labels and writes rounds without it
    assertEquals("img-1", serdes.value(Label.class).deserializer().deserialize(TopicSpecs.LABELS, label).getId());
    QueryRound round = SampleRecords.round();
    assertTrue(serdes.value(QueryRound.class).serializer().serialize(TopicSpecs.ROUNDS, round).length > 5);
  }
}
