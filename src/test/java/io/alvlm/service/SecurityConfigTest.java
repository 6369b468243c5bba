package io.alvlm.service;

import io.alvlm.config.ServiceConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.serde.SerdeConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/**
 * SASL_SSL and mutual-TLS settings given as {@code kafka.*} reach every Kafka client the service
 * creates: the Streams main, restore and global consumers, its producer and admin client (as
 * Kafka Streams itself derives them), and the plain clients of {@link AlvlmService#clientConfig};
 * credentials never show in a printed config.
 */
class SecurityConfigTest {
  private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
      + "username=\"alvlm-pool\" password=\"jaas-S3cret-7731\";";
  private static final Map<String, String> SECURITY = Map.of(
      "security.protocol", "SASL_SSL",
      "sasl.mechanism", "SCRAM-SHA-512",
      "sasl.jaas.config", JAAS,
      "ssl.truststore.location", "/etc/alvlm/truststore.p12",
      "ssl.truststore.password", "trust-S3cret-1",
      "ssl.keystore.location", "/etc/alvlm/keystore.p12",
      "ssl.keystore.password", "ks-S3cret-2",
      "ssl.key.password", "key-S3cret-3",
      "ssl.endpoint.identification.algorithm", "https");

  private static ServiceConfig secured() {
    Map<String, String> m = new HashMap<>();
    SECURITY.forEach((k, v) -> m.put("kafka." + k, v));
    m.put("schema.registry.basic.auth.user.info", "alvlm:registry-S3cret-4");
    m.put("schema.registry.ssl.keystore.password", "registry-ks-S3cret-5");
    return ServiceConfig.of(m);
  }

  private static void carriesSecurity(String client, Map<String, Object> config) {
    SECURITY.forEach((k, v) -> {
      Object got = config.get(k);
      String value = got instanceof Password p ? p.value() : String.valueOf(got);
      assertEquals(v, value, client + " client: " + k);
    });
  }

  @Test
  void saslSslAndMutualTlsReachEveryStreamsClient() {
    StreamsConfig streams = new StreamsConfig(AlvlmService.streamsConfig(secured()));
    carriesSecurity("main consumer", streams.getMainConsumerConfigs("alvlm", "alvlm-StreamThread-1-consumer", 0));
    carriesSecurity("restore consumer", streams.getRestoreConsumerConfigs("alvlm-StreamThread-1-restore-consumer"));
    carriesSecurity("global consumer", streams.getGlobalConsumerConfigs("alvlm-global-consumer"));
    carriesSecurity("producer", streams.getProducerConfigs("alvlm-StreamThread-1-producer"));
    carriesSecurity("admin", streams.getAdminConfigs("alvlm-admin"));
  }

  @Test
  void saslSslAndMutualTlsReachTheClientsBesideStreams() {
    carriesSecurity("admin/producer/consumer", AlvlmService.clientConfig(secured()));
  }

  @Test
  void kafkaSecuritySettingsComeFromTheEnvironmentToo() {
    ServiceConfig c = ServiceConfig.load(null, Map.of("ALVLM_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
        "ALVLM_KAFKA_SASL_JAAS_CONFIG", JAAS), Map.of());
    Properties p = AlvlmService.streamsConfig(c);
    assertEquals("SASL_SSL", p.get("security.protocol"));
    assertEquals(JAAS, p.get("sasl.jaas.config"));
  }

  @Test
  void registryCredentialsReachTheSerdesThroughTheStreamsConfig() {
    Properties p = AlvlmService.streamsConfig(secured());
    SerdeConfig serde = SerdeConfig.from(toMap(p));
    assertEquals("alvlm:registry-S3cret-4", serde.basicAuthUserInfo().orElseThrow());
    assertEquals("registry-ks-S3cret-5", serde.tls().keystorePassword().orElseThrow());
  }

  @Test
  void printedConfigsHideEveryCredential() {
    ServiceConfig c = secured();
    SerdeConfig serde = SerdeConfig.from(toMap(AlvlmService.streamsConfig(c)));
    for (String printed : new String[] {c.toString(), serde.toString(), serde.tls().toString()}) {
      assertFalse(printed.contains("S3cret"), printed);
    }
    assertTrue(c.toString().contains("kafka.sasl.jaas.config=[hidden]"), c.toString());
    assertTrue(c.toString().contains("kafka.security.protocol=SASL_SSL"), "non-secret settings stay readable");
    assertTrue(serde.toString().contains("basicAuth=set"), serde.toString());
  }

  private static Map<String, Object> toMap(Properties p) {
    Map<String, Object> m = new HashMap<>();
    p.forEach((k, v) -> m.put(k.toString(), v));
    return m;
  }
}
