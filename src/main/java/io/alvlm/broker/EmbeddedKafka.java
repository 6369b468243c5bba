package io.alvlm.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running in this JVM, on
 * free loopback ports. Replication factors and min ISR are 1 so transactions and exactly-once
 * Streams work. Storage is a temporary folder deleted on {@link #close()}, or a given folder that
 * is kept, so a later {@link #start(Path)} on it restarts the same broker with its data and ports.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final String CONFIG_FILE = "broker.properties";

  private final KafkaRaftServer server;
  private final Path dir;
  private final boolean temporary;
  private final String bootstrapServers;

  private EmbeddedKafka(KafkaRaftServer server, Path dir, boolean temporary, String bootstrapServers) {
    this.server = server;
    this.dir = dir;
    this.temporary = temporary;
    this.bootstrapServers = bootstrapServers;
  }

  /** Starts a broker in a fresh temporary folder, removed on close. */
  public static EmbeddedKafka start() {
    try {
      return start(Files.createTempDirectory("alvlm-kafka-"), true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary folder for the embedded broker", e);
    }
  }

  /**
   * Starts a broker in a fresh temporary folder with some of its settings changed (e.g. how often it
   * aborts transactions past their timeout), removed on close.
   */
  public static EmbeddedKafka start(Map<String, String> overrides) {
    try {
      return start(Files.createTempDirectory("alvlm-kafka-"), true, overrides);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary folder for the embedded broker", e);
    }
  }

  /**
   * Starts a broker storing its data in {@code dir}, kept on close. If {@code dir} already holds a
   * broker started by this class, it restarts that broker (same cluster id, ports and data).
   */
  public static EmbeddedKafka start(Path dir) {
    return start(dir, false);
  }

  private static EmbeddedKafka start(Path dir, boolean temporary) {
    return start(dir, temporary, Map.of());
  }

  private static EmbeddedKafka start(Path dir, boolean temporary, Map<String, String> overrides) {
    Objects.requireNonNull(dir, "dir");
    try {
      Files.createDirectories(dir);
      Path configFile = dir.resolve(CONFIG_FILE);
      Properties props;
      if (Files.exists(configFile)) {
        props = load(configFile);
      } else {
        int[] ports = freePorts(2);
        props = brokerConfig(dir.resolve("data"), ports[0], ports[1]);
        props.putAll(overrides);
        store(props, configFile);
        format(configFile, Uuid.randomUuid().toString());
      }
      KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
      server.startup();
      String bootstrap = "127.0.0.1:" + port(props.getProperty("listeners"), "PLAINTEXT");
      EmbeddedKafka kafka = new EmbeddedKafka(server, dir, temporary, bootstrap);
      kafka.awaitReady();
      return kafka;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded broker in " + dir, e);
    }
  }

  /**
   * The broker's settings: combined KRaft mode on loopback, everything replicated once, no
   * rebalance delay, no automatic topic creation (alvlm creates its topics explicitly).
   */
  public static Properties brokerConfig(Path logDir, int port, int controllerPort) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", logDir.toAbsolutePath().toString());
    p.put("num.partitions", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "false");
    return p;
  }

  /** {@code host:port} for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * The {@code host:port} of the broker kept in {@code dir} (by this class, in this or another process),
   * or null before one was first started there.
   */
  public static String bootstrapServers(Path dir) throws IOException {
    Path configFile = dir.resolve(CONFIG_FILE);
    return Files.exists(configFile) ? "127.0.0.1:" + port(load(configFile).getProperty("listeners"), "PLAINTEXT") : null;
  }

  /** The folder holding the broker's config and data. */
  public Path dir() {
    return dir;
  }

  /** Client settings to reach this broker, for producers, consumers, admin and Streams. */
  public Map<String, Object> clientConfig() {
    return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
  }

  /** Stops the broker and waits for it; removes the folder if it was temporary. */
  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
    if (temporary) {
      deleteRecursively(dir);
    }
  }

  private void awaitReady() {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      close();
      throw new IllegalStateException("embedded broker at " + bootstrapServers + " did not come up: " + e, e);
    }
  }

  private static void format(Path configFile, String clusterId) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int rc;
    try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      rc = StorageTool.execute(
          new String[] {"format", "-t", clusterId, "-c", configFile.toString(), "--standalone"}, ps);
    }
    if (rc != 0) {
      throw new IllegalStateException("formatting the embedded broker's storage failed (" + rc + "): "
          + out.toString(StandardCharsets.UTF_8));
    }
  }

  static int port(String listeners, String name) {
    for (String l : listeners.split(",")) {
      if (l.startsWith(name + "://")) {
        return Integer.parseInt(l.substring(l.lastIndexOf(':') + 1));
      }
    }
    throw new IllegalArgumentException("no " + name + " listener in " + listeners);
  }

  /**
   * {@code n} distinct free loopback ports: every socket stays open until all are bound, since one
   * closed before the next is opened can hand the same port out twice (it did: a CI run's broker got
   * its listener and controller on one port and refused to start).
   */
  public static int[] freePorts(int n) throws IOException {
    ServerSocket[] sockets = new ServerSocket[n];
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        sockets[i] = new ServerSocket(0, 0, InetAddress.getLoopbackAddress());
        ports[i] = sockets[i].getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : sockets) {
        if (s != null) s.close();
      }
    }
  }

  private static Properties load(Path file) throws IOException {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    }
    return p;
  }

  private static void store(Properties p, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      p.store(out, "alvlm embedded broker");
    }
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // leftover temp files are harmless; the broker is already down
    }
  }
}
