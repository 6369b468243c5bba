package io.alvlm.service;

import io.alvlm.config.ServiceConfig;
import io.alvlm.config.Settings;
import io.alvlm.serde.AvroSerdes;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;

/**
 * Checks, before a command or the service starts its work, that the Kafka cluster of
 * {@code bootstrap.servers} (and the schema registry, with {@code serde.format=confluent}) answers:
 * within {@link #WAIT}, one line naming the address and the key to check, instead of a client
 * retrying in silence for a minute and then failing with a bare timeout.
 */
public final class Reachable {
  /** How long the first contact may take. */
  public static final Duration WAIT = Duration.ofSeconds(10);

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Reachable.class);

  private Reachable() {}

  /** Kafka, then the registry when the wire format has one: a one-shot command needs both now. */
  public static void check(ServiceConfig c, AvroSerdes serdes) {
    kafka(AlvlmService.clientConfig(c), WAIT);
    serdes.probeRegistry(WAIT);
  }

  /**
   * The service's start: Kafka must answer, but a registry outage is one the service rides out (not
   * ready, records waiting, no dead letters), so an unreachable registry is named in a warning and the
   * service starts anyway.
   */
  static void checkForService(ServiceConfig c, AvroSerdes serdes) {
    kafka(AlvlmService.clientConfig(c), WAIT);
    try {
      serdes.probeRegistry(WAIT);
    } catch (RuntimeException e) {
      LOG.warn("{}; starting anyway: not ready until it answers", e.getMessage());
    }
  }

  /** A broker of {@code clientConfig}'s {@code bootstrap.servers} answers within {@code wait}. */
  public static void kafka(Map<String, Object> clientConfig, Duration wait) {
    String servers = String.valueOf(clientConfig.get("bootstrap.servers"));
    String where = "Kafka at " + servers + " (bootstrap.servers)";
    Map<String, Object> c = new HashMap<>(clientConfig);
    c.put("request.timeout.ms", (int) wait.toMillis());
    c.put("default.api.timeout.ms", (int) wait.toMillis());
    try (Admin admin = Admin.create(c)) {
      admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) wait.toMillis())).clusterId()
          .get(wait.toMillis() + 2000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      boolean timedOut = cause instanceof org.apache.kafka.common.errors.TimeoutException;
      throw new IllegalStateException("cannot reach " + where + (timedOut ? " within " + wait.toSeconds() + " s: is a broker "
          + "running there, and do the kafka.security.* settings match its listener?" : ": " + cause.getMessage()), e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("cannot reach " + where + " within " + wait.toSeconds() + " s", e);
    } catch (KafkaException e) {
      throw new IllegalArgumentException("bootstrap.servers=" + servers + ": " + (e.getCause() != null
          ? e.getCause().getMessage() : e.getMessage()), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reaching " + where, e);
    }
  }
}
