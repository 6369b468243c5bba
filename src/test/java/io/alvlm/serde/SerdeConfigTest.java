package io.alvlm.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SerdeConfigTest {
  @Test
  void defaultsToSingleObjectWithoutRegistry() {
    SerdeConfig c = SerdeConfig.from(Map.of());
    assertEquals(WireFormat.SINGLE_OBJECT, c.format());
    assertEquals(Optional.empty(), c.registryUrl());
    assertTrue(c.autoRegister());
  }

  @Test
  void readsTheConfluentSettings() {
    SerdeConfig c = SerdeConfig.from(Map.of("serde.format", "Confluent",
        "schema.registry.url", "https://sr.example:8081/,https://sr2.example:8081",
        "schema.registry.basic.auth.user.info", "u:p", "schema.registry.auto.register", "false",
        "schema.registry.ssl.truststore.location", "/etc/ts.p12"));
    assertEquals(WireFormat.CONFLUENT, c.format());
    assertEquals(Optional.of(URI.create("https://sr.example:8081")), c.registryUrl());
    assertEquals(Optional.of("Basic dTpw"), SchemaRegistryClient.authorizationHeader(c));
    assertEquals(false, c.autoRegister());
    assertTrue(c.tls().configured());
  }

  @Test
  void sendsABearerToken() {
    SerdeConfig c = SerdeConfig.from(Map.of("serde.format", "confluent", "schema.registry.url", "http://x",
        "schema.registry.bearer.auth.token", "tok"));
    assertEquals(Optional.of("Bearer tok"), SchemaRegistryClient.authorizationHeader(c));
  }

  @Test
  void explainsMissingOrWrongSettings() {
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> SerdeConfig.from(Map.of("serde.format", "confluent"))).getMessage().contains("schema.registry.url"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> SerdeConfig.from(Map.of("serde.format", "json"))).getMessage().contains("single-object"));
    assertThrows(IllegalArgumentException.class, () -> SerdeConfig.from(Map.of("serde.format", "confluent",
        "schema.registry.url", "http://x", "schema.registry.basic.auth.user.info", "nopassword")));
  }
}
