package io.alvlm.broker;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * One test server as a process of its own, so that a soak can SIGKILL, SIGSTOP or stop it and start
 * it again on the same data and port: {@code java -cp alvlm.jar io.alvlm.broker.StandaloneServer kafka DIR}
 * (the {@link EmbeddedKafka} kept in DIR) or {@code ... registry PORT JOURNAL} (the
 * {@link SchemaRegistryStandIn} keeping its schemas in JOURNAL). Prints one line once it serves, and
 * runs until SIGTERM, when it closes the server.
 */
public final class StandaloneServer {
  private StandaloneServer() {}

  public static void main(String[] args) throws Exception {
    AutoCloseable server;
    String where;
    if (args.length == 2 && args[0].equals("kafka")) {
      EmbeddedKafka k = EmbeddedKafka.start(Path.of(args[1]));
      server = k;
      where = k.bootstrapServers();
    } else if (args.length == 3 && args[0].equals("registry")) {
      SchemaRegistryStandIn r = SchemaRegistryStandIn.start(Integer.parseInt(args[1]), Path.of(args[2]));
      server = r;
      where = r.url();
    } else {
      System.err.println("usage: StandaloneServer kafka DIR | registry PORT JOURNAL");
      System.exit(2);
      return;
    }
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.close();
      } catch (Exception e) {
        System.err.println(args[0] + ": close failed: " + e);
      } finally {
        closed.countDown();
      }
    }, "standalone-server-shutdown"));
    System.out.println(args[0] + ": serving at " + where);
    closed.await();
  }
}
