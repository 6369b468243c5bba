package io.alvlm.annotate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.Await;
import io.alvlm.avro.AnnotationRequest;
import io.alvlm.avro.Label;
import io.alvlm.broker.EmbeddedKafka;
import io.alvlm.service.ServiceHarness;
import io.alvlm.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A workbench restarted while an early request is still open: the requests answered after it were
 * read again from the committed offset (the open one holds it back), and must not be offered again.
 * Real broker, real Avro, the workbench's own feed and desk; two restarts, so what the commit carries
 * is carried on.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class RequestFeedRestartIT {
  private static final String GROUP = "alvlm-workbench-it";
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final long LEASE = 600_000;
  @TempDir Path state;

  @Test
  void aRestartedWorkbenchOffersOnlyTheRequestsNobodyAnswered() throws Exception {
    Topics topics = ServiceHarness.topics();
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      ServiceHarness.createTopics(kafka, ServiceHarness.settings(kafka, state));
      ask(kafka, topics, "a", "b", "c");
      AnnotationDesk first = new AnnotationDesk(1, LEASE);
      try (RequestFeed feed = new RequestFeed(kafka.clientConfig(), GROUP, topics, first)) {
        awaitHeld(first, "c");
        assertEquals("a", first.lease("ann", now()).orElseThrow().request().getId(), "the most uncertain first");
        answer(first, feed, "bob", "b");
        answer(first, feed, "bob", "c");
      }
      // a stays open: the committed offset stays at a, and b and c are read again
      ask(kafka, topics, "d");
      AnnotationDesk second = new AnnotationDesk(1, LEASE);
      try (RequestFeed feed = new RequestFeed(kafka.clientConfig(), GROUP, topics, second)) {
        awaitHeld(second, "d"); // read past b and c
        assertTrue(second.request("q-b").isEmpty() && second.request("q-c").isEmpty(),
            "b and c were answered before the restart and are not offered again");
        assertEquals("a", second.lease("ann", now()).orElseThrow().request().getId(), "a was never answered");
        answer(second, feed, "bob", "d");
      }
      ask(kafka, topics, "e");
      AnnotationDesk third = new AnnotationDesk(1, LEASE);
      try (RequestFeed feed = new RequestFeed(kafka.clientConfig(), GROUP, topics, third)) {
        awaitHeld(third, "e");
        for (String done : List.of("b", "c", "d")) {
          assertTrue(third.request("q-" + done).isEmpty(), done + " was answered before an earlier restart");
        }
        answer(third, feed, "ann", "a");
        answer(third, feed, "ann", "e");
      }
      List<String> labelled = ServiceHarness.readUntil(kafka, topics.labels.name(), topics.labels.valueSerde().deserializer(),
          l -> l.size() >= 5, WAIT).stream().map(r -> r.value().getId()).sorted().toList();
      assertEquals(List.of("a", "b", "c", "d", "e"), labelled, "every request labelled once");
    }
  }

  private static long now() {
    return System.currentTimeMillis();
  }

  private static void awaitHeld(AnnotationDesk desk, String id) throws InterruptedException {
    Await.until("the desk reads request " + id, WAIT, () -> desk.request("q-" + id).isPresent());
  }

  /** {@code who} leases {@code id} (the only free request they may get), answers it, and its label commits. */
  private static void answer(AnnotationDesk desk, RequestFeed feed, String who, String id) throws Exception {
    assertEquals(id, desk.lease(who, now()).orElseThrow().request().getId(), who + " is offered " + id);
    Label label = desk.answer(who, "q-" + id, Answer.labeled("cat"), now()).label().orElseThrow();
    feed.write(label).get(60, TimeUnit.SECONDS);
  }

  private static void ask(EmbeddedKafka kafka, Topics topics, String... ids) {
    Map<String, Object> p = new HashMap<>(kafka.clientConfig());
    try (KafkaProducer<String, AnnotationRequest> producer =
        new KafkaProducer<>(p, new StringSerializer(), topics.queries.valueSerde().serializer())) {
      double uncertainty = 0.9;
      for (String id : ids) {
        // one partition, so the open request holds the committed offset back for the others
        producer.send(new ProducerRecord<>(topics.queries.name(), 0, id, AnnotationRequest.newBuilder().setQueryId("q-" + id)
            .setRound(1).setId(id).setUncertainty(uncertainty).setModelVersion(0).setCreatedAt(Instant.now())
            .setDeadline(Instant.now().plus(Duration.ofHours(1))).build()));
        uncertainty -= 0.1;
      }
      producer.flush();
    }
  }
}
