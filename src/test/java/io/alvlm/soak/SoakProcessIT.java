package io.alvlm.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.Await;
import io.alvlm.broker.EmbeddedKafka;
import io.alvlm.broker.StandaloneServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A soak's process handling on a real child JVM from the built jar (the registry stand-in, light
 * enough to need no broker): healthy once it serves, unhealthy while frozen by SIGSTOP and again after
 * SIGCONT, gone after SIGKILL; a process that ends by itself is started again by the cluster's wait
 * and counted, while one a fault holds is left alone.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SoakProcessIT {
  @TempDir Path dir;

  @Test
  void freezesThawsKillsAndRestartsAChildJvm() throws Exception {
    int port = EmbeddedKafka.freePorts(1)[0];
    URI subjects = URI.create("http://127.0.0.1:" + port + "/subjects");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    Path jar = Path.of("target/alvlm.jar").toAbsolutePath();
    SoakProcess registry = new SoakProcess("registry", jar, List.of("-Xmx64m"), List.of("-cp", jar.toString(),
        StandaloneServer.class.getName(), "registry", Integer.toString(port), dir.resolve("schemas.jsonl").toString()),
        dir.resolve("registry.log"), () -> http.send(HttpRequest.newBuilder(subjects).timeout(Duration.ofSeconds(1)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 401, null, null, 0);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Cluster cluster = new Cluster(List.of(registry), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    registry.start();
    try {
      assertTrue(cluster.awaitHealthy(Duration.ofSeconds(60)), "the registry serves (401 without credentials)");
      assertEquals(List.of(), cluster.unhealthy());

      registry.pause();
      Await.until("a frozen process does not answer", Duration.ofSeconds(20), () -> !registry.healthy());
      assertTrue(registry.alive(), "frozen, not gone");
      registry.resume();
      assertTrue(cluster.awaitHealthy(Duration.ofSeconds(30)), "answers again after SIGCONT");
      assertEquals(0, cluster.unplannedExits());

      cluster.hold("registry", true);
      long pid = registry.kill();
      assertFalse(registry.alive());
      cluster.watch(Duration.ofSeconds(1));
      assertFalse(registry.alive(), "a process a fault holds down is not restarted");
      assertEquals(0, cluster.unplannedExits());

      cluster.hold("registry", false);
      assertTrue(cluster.awaitHealthy(Duration.ofSeconds(60)), "the wait starts a process that ended by itself");
      assertNotEquals(pid, registry.pid());
      assertEquals(1, cluster.unplannedExits());
      assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("soak: registry exited by itself (status 137); starting it again"),
          bytes.toString(StandardCharsets.UTF_8));
      assertEquals(2, Files.readAllLines(dir.resolve("registry.log")).stream().filter(l -> l.startsWith("registry: serving at")).count());
    } finally {
      registry.stop();
    }
  }
}
