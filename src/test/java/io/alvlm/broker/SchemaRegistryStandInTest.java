package io.alvlm.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry started again on its journal answers the ids it gave before, as a soak's registry outage needs. */
class SchemaRegistryStandInTest {
  @TempDir Path dir;

  private static final Schema A = SchemaBuilder.record("A").fields().requiredString("id").endRecord();
  private static final Schema B = SchemaBuilder.record("B").fields().requiredLong("n").endRecord();
  private static final Schema C = SchemaBuilder.record("C").fields().requiredInt("k").endRecord();

  @Test
  void keepsItsIdsAcrossARestartOnTheSameJournal() throws Exception {
    Path journal = dir.resolve("schemas.jsonl");
    int a;
    int b;
    try (SchemaRegistryStandIn r = SchemaRegistryStandIn.start(0, journal)) {
      a = r.put("a-value", A);
      b = r.put("b-value", B);
    }
    try (SchemaRegistryStandIn r = SchemaRegistryStandIn.start(0, journal)) {
      assertEquals(A, new Schema.Parser().parse(get(r, "/schemas/ids/" + a)));
      assertEquals(B, new Schema.Parser().parse(get(r, "/schemas/ids/" + b)));
      assertEquals(1, r.versions("a-value"));
      assertEquals(a, r.put("a-value", A), "the same schema keeps its id");
      assertEquals(Math.max(a, b) + 1, r.put("c-value", C), "a new schema gets a new id");
    }
    try (SchemaRegistryStandIn memoryOnly = SchemaRegistryStandIn.start()) {
      assertEquals(0, memoryOnly.versions("a-value"));
    }
  }

  private static String get(SchemaRegistryStandIn r, String path) throws Exception {
    String auth = Base64.getEncoder().encodeToString((SchemaRegistryStandIn.USER + ":" + SchemaRegistryStandIn.PASSWORD)
        .getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> resp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(r.url() + path))
        .header("Authorization", "Basic " + auth).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, resp.statusCode(), resp.body());
    return new ObjectMapper().readTree(resp.body()).path("schema").asText();
  }
}
