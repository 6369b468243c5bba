package io.alvlm.serde;

import io.alvlm.broker.SchemaRegistryStandIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.avro.Label;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry client over https, trusting the registry through a configured truststore. */
class RegistryTlsTest {
  private static final String PW = "changeit";
  @TempDir static Path dir;

  @BeforeAll
  static void makeCertificate() throws Exception {
    keytool("-genkeypair", "-alias", "registry", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", dir.resolve("server.p12").toString(), "-storepass", PW);
    keytool("-exportcert", "-alias", "registry", "-keystore", dir.resolve("server.p12").toString(),
        "-storepass", PW, "-file", dir.resolve("registry.crt").toString());
    keytool("-importcert", "-noprompt", "-alias", "registry", "-file", dir.resolve("registry.crt").toString(),
        "-storetype", "PKCS12", "-keystore", dir.resolve("trust.p12").toString(), "-storepass", PW);
  }

  @Test
  void talksToAnHttpsRegistryWithTheConfiguredTruststore() throws IOException {
    try (SchemaRegistryStandIn registry = SchemaRegistryStandIn.startTls(serverTls())) {
      Map<String, Object> cfg = new HashMap<>(registry.serdeConfig());
      cfg.put("schema.registry.ssl.truststore.location", dir.resolve("trust.p12").toString());
      cfg.put("schema.registry.ssl.truststore.password", PW);
      var serde = AvroSerdes.from(cfg).value(Label.class);
      Label back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", SampleRecords.label("a")));
      assertEquals(SampleRecords.label("a"), back);
    }
  }

  @Test
  void refusesAnUntrustedRegistry() throws IOException {
    try (SchemaRegistryStandIn registry = SchemaRegistryStandIn.startTls(serverTls())) {
      java.util.Map<String, Object> c = new java.util.HashMap<>(registry.serdeConfig());
      c.put("schema.registry.retry.deadline.ms", "2000"); // the refusal, not the retry deadline, is under test
      var serde = AvroSerdes.from(c).value(Label.class);
      SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
          () -> serde.serializer().serialize("t", SampleRecords.label("a")));
      assertTrue(e.getMessage().contains("https://127.0.0.1"), e.getMessage());
    }
  }

  @Test
  void explainsAMissingTruststoreFile() {
    RegistryTls tls = RegistryTls.from(Map.of("schema.registry.ssl.truststore.location", dir.resolve("nope.p12").toString()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, tls::sslContext);
    assertTrue(e.getMessage().contains("schema.registry.ssl."), e.getMessage());
  }

  private static javax.net.ssl.SSLContext serverTls() {
    return RegistryTls.from(Map.of("schema.registry.ssl.keystore.location", dir.resolve("server.p12").toString(),
        "schema.registry.ssl.keystore.password", PW)).sslContext();
  }

  private static void keytool(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + out);
    }
  }
}
