package io.alvlm.serde;

import io.alvlm.broker.SchemaRegistryStandIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.avro.Label;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The registry client against a registry that is overloaded, drops connections, hangs or is gone. */
class SchemaRegistryClientRetryTest {
  private static final Schema LABEL = RecordTypes.schemaOf(Label.class);
  private SchemaRegistryStandIn registry;

  @BeforeEach
  void start() throws IOException {
    registry = SchemaRegistryStandIn.start();
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void registersOnceWhenTheRegistryAnswers503TwiceThen200() {
    registry.fail("POST /subjects/versions", 503, 2, null);
    SchemaRegistryClient client = client(registry.url(), Map.of());
    int id = client.idFor("alvlm.labels-value", LABEL);
    assertEquals(1, registry.versions("alvlm.labels-value"));
    assertEquals(3, registry.calls("POST /subjects/versions"));
    assertEquals(id, registry.put("alvlm.labels-value", LABEL));
    assertEquals(2, client.health().errors("http-5xx"));
    assertTrue(client.health().answering());
  }

  @Test
  void registersOnceWhenTheConnectionDropsOnceAfterTheRegistryActed() {
    registry.dropAfterHandling("POST /subjects/versions", 1);
    SchemaRegistryClient client = client(registry.url(), Map.of());
    int id = client.idFor("alvlm.labels-value", LABEL);
    assertEquals(1, registry.versions("alvlm.labels-value"));
    assertEquals(2, registry.calls("POST /subjects/versions"), "the dropped registration was sent again");
    assertEquals(id, registry.put("alvlm.labels-value", LABEL));
    assertEquals(1, client.health().errors("connection-dropped"));
  }

  @Test
  void retriesLookupsCompatibilityChecksAndFetchesById() {
    registry.put("s-value", LABEL);
    int id = registry.put("t-value", LABEL);
    registry.dropBeforeAnswering("POST /subjects", 1);
    registry.fail("POST /compatibility", 429, 1, "0");
    registry.fail("GET /schemas/ids", 408, 1, null);
    SchemaRegistryClient client = client(registry.url(), Map.of());
    assertEquals(id, client.idFor("t-value", LABEL));
    assertTrue(client.isCompatible("s-value", LABEL));
    SchemaRegistryClient reader = client(registry.url(), Map.of());
    assertEquals(LABEL, reader.schemaById(id));
    assertEquals(2, registry.calls("POST /subjects"));
    assertEquals(2, registry.calls("POST /compatibility"));
    assertEquals(2, registry.calls("GET /schemas/ids"));
  }

  @Test
  void failsAtOnceWithTheRegistrysErrorOnARefusal() {
    registry.fail("POST /subjects/versions", 422, 1, null);
    SchemaRegistryClient client = client(registry.url(), Map.of());
    SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> client.idFor("x-value", LABEL));
    assertEquals(422, e.httpStatus());
    assertEquals(42201, e.errorCode());
    assertTrue(e.getMessage().contains("injected HTTP 422"), e.getMessage());
    assertFalse(e.outage());
    assertEquals(1, registry.calls("POST /subjects/versions"));
  }

  @Test
  void worksThroughARegistryThatClosesEveryConnection() throws IOException {
    try (ConnectionClosingProxy proxy = ConnectionClosingProxy.start(registry.url(), ConnectionClosingProxy.Close.ON_REUSE)) {
      AvroSerdes serdes = AvroSerdes.from(with(registry.serdeConfig(), SerdeConfig.REGISTRY_URL, proxy.url()));
      for (SpecificRecord record : SampleRecords.all()) {
        String topic = "alvlm.test." + record.getClass().getSimpleName();
        @SuppressWarnings("unchecked")
        Serde<SpecificRecord> serde = serdes.value((Class<SpecificRecord>) record.getClass());
        AvroSerdes reader = AvroSerdes.from(with(registry.serdeConfig(), SerdeConfig.REGISTRY_URL, proxy.url()));
        @SuppressWarnings("unchecked")
        Serde<SpecificRecord> readSerde = reader.value((Class<SpecificRecord>) record.getClass());
        assertEquals(record, readSerde.deserializer().deserialize(topic, serde.serializer().serialize(topic, record)));
        assertEquals(1, registry.versions(topic + "-value"), topic);
      }
      assertTrue(proxy.closedConnections() >= SampleRecords.all().size(), "reused connections were found closed");
    }
  }

  @Test
  void givesUpAtTheDeadlineOnAHangingRegistryAsAnOutage() throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      SchemaRegistryClient client = client("http://127.0.0.1:" + silent.getLocalPort(),
          Map.of(SerdeConfig.TIMEOUT_MS, "100", RegistryRetry.DEADLINE_MS, "300"));
      SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> client.idFor("x-value", LABEL));
      assertTrue(e.outage());
      assertTrue(e.getMessage().contains(RegistryRetry.DEADLINE_MS + "=300"), e.getMessage());
      assertTrue(client.health().errors("timeout") >= 1);
      assertEquals(1, client.health().errors("gave-up"));
      assertFalse(client.health().answering());
    }
  }

  @Test
  void decodingThroughAnOutageIsNotABadRecord() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    AvroSerdes down = AvroSerdes.from(Map.of(SerdeConfig.FORMAT, "confluent", SerdeConfig.REGISTRY_URL,
        "http://127.0.0.1:" + port, RegistryRetry.DEADLINE_MS, "50", RegistryRetry.BACKOFF_MS, "10"));
    byte[] bytes = ByteBuffer.allocate(7).put((byte) 0).putInt(3).put((byte) 2).put((byte) 'a').array();
    SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
        () -> down.value(Label.class).deserializer().deserialize("alvlm.labels", bytes));
    assertTrue(e.outage(), "an outage, not a RecordDecodingException that would be dead-lettered");
  }

  private static SchemaRegistryClient client(String url, Map<String, String> extra) {
    Map<String, Object> c = new HashMap<>(Map.of(SerdeConfig.FORMAT, "confluent", SerdeConfig.REGISTRY_URL, url,
        SerdeConfig.BASIC_AUTH_USER_INFO, SchemaRegistryStandIn.USER + ":" + SchemaRegistryStandIn.PASSWORD,
        RegistryRetry.BACKOFF_MS, "1", RegistryRetry.BACKOFF_MAX_MS, "10"));
    c.putAll(extra);
    return new SchemaRegistryClient(SerdeConfig.from(c));
  }

  private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
    return ConfluentAvroFormatTest.with(base, key, value);
  }
}
