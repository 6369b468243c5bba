package io.alvlm.serde;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS material for an https schema registry. Keys (Confluent client names):
 * {@code schema.registry.ssl.truststore.location|password|type},
 * {@code schema.registry.ssl.keystore.location|password|type}, {@code schema.registry.ssl.key.password}.
 * Store types default to PKCS12. Without a truststore the JVM's default trust applies.
 */
public record RegistryTls(
    Optional<Path> truststore,
    Optional<String> truststorePassword,
    String truststoreType,
    Optional<Path> keystore,
    Optional<String> keystorePassword,
    String keystoreType,
    Optional<String> keyPassword) {

  private static final String PREFIX = "schema.registry.ssl.";

  public RegistryTls {
    Objects.requireNonNull(truststore, "truststore");
    Objects.requireNonNull(truststorePassword, "truststorePassword");
    Objects.requireNonNull(truststoreType, "truststoreType");
    Objects.requireNonNull(keystore, "keystore");
    Objects.requireNonNull(keystorePassword, "keystorePassword");
    Objects.requireNonNull(keystoreType, "keystoreType");
    Objects.requireNonNull(keyPassword, "keyPassword");
  }

  /** Reads the {@code schema.registry.ssl.*} keys. */
  public static RegistryTls from(Map<String, ?> config) {
    return new RegistryTls(
        SerdeConfig.text(config, PREFIX + "truststore.location").map(Path::of),
        SerdeConfig.text(config, PREFIX + "truststore.password"),
        SerdeConfig.text(config, PREFIX + "truststore.type").orElse("PKCS12"),
        SerdeConfig.text(config, PREFIX + "keystore.location").map(Path::of),
        SerdeConfig.text(config, PREFIX + "keystore.password"),
        SerdeConfig.text(config, PREFIX + "keystore.type").orElse("PKCS12"),
        SerdeConfig.text(config, PREFIX + "key.password"));
  }

  /** Store locations and types; passwords only as set or not (a record's default toString would print them). */
  @Override
  public String toString() {
    return "RegistryTls[truststore=" + truststore.map(Path::toString).orElse("-") + " (" + truststoreType + ", password "
        + (truststorePassword.isPresent() ? "set" : "unset") + "), keystore=" + keystore.map(Path::toString).orElse("-") + " ("
        + keystoreType + ", password " + (keystorePassword.isPresent() ? "set" : "unset") + ", key password "
        + (keyPassword.isPresent() ? "set" : "unset") + ")]";
  }

  /** True when a trust or key store is configured. */
  public boolean configured() {
    return truststore.isPresent() || keystore.isPresent();
  }

  /** An SSL context from the configured stores (JVM defaults for what is not configured). */
  public SSLContext sslContext() {
    try {
      TrustManagerFactory tmf = null;
      if (truststore.isPresent()) {
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(truststore.get(), truststoreType, truststorePassword));
      }
      KeyManagerFactory kmf = null;
      if (keystore.isPresent()) {
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        char[] keyPw = keyPassword.or(() -> keystorePassword).orElse("").toCharArray();
        kmf.init(load(keystore.get(), keystoreType, keystorePassword), keyPw);
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(
          kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          "cannot set up TLS for the schema registry from " + PREFIX + "* settings: " + e.getMessage(), e);
    }
  }

  private static KeyStore load(Path path, String type, Optional<String> password)
      throws GeneralSecurityException, IOException {
    KeyStore ks = KeyStore.getInstance(type);
    try (InputStream in = Files.newInputStream(path)) {
      ks.load(in, password.map(String::toCharArray).orElse(null));
    }
    return ks;
  }
}
