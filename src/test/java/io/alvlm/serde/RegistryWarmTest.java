package io.alvlm.serde;

import io.alvlm.broker.SchemaRegistryStandIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.alvlm.avro.AnnotationRequest;
import io.alvlm.avro.Label;
import java.io.IOException;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * {@link AvroSerdes#warm}: after it, records written with any version of a subject read, and the
 * instance's own schema writes, with the registry gone; without it, the same read fails.
 */
class RegistryWarmTest {
  @Test
  void aWarmedClientReadsEveryVersionAndWritesItsOwnWithTheRegistryGone() throws IOException {
    byte[] oldLabel;
    byte[] currentLabel;
    AvroSerdes warmed;
    AvroSerdes cold;
    try (SchemaRegistryStandIn registry = SchemaRegistryStandIn.start()) {
      Map<String, Object> config = ConfluentAvroFormatTest.with(registry.serdeConfig(), RegistryRetry.DEADLINE_MS, "300");
      Schema old = ConfluentAvroFormatTest.labelBeforeOutcome();
      int oldId = registry.put("alvlm.labels-value", old);
      oldLabel = ConfluentAvroFormatTest.confluentBytes(oldId, old, ConfluentAvroFormatTest.oldLabel(old, "img-1"));
      currentLabel = AvroSerdes.from(config).value(Label.class).serializer().serialize("alvlm.labels",
          SampleRecords.label("img-2"));
      assertEquals(2, registry.versions("alvlm.labels-value"));

      warmed = AvroSerdes.from(config);
      warmed.warm("alvlm.labels", Label.class, false);
      warmed.warm("alvlm.queries", AnnotationRequest.class, true);
      cold = AvroSerdes.from(config);
    }
    var labels = warmed.value(Label.class).deserializer();
    assertEquals("img-1", labels.deserialize("alvlm.labels", oldLabel).getId());
    assertEquals("img-2", labels.deserialize("alvlm.labels", currentLabel).getId());
    var queries = warmed.value(AnnotationRequest.class);
    byte[] q = queries.serializer().serialize("alvlm.queries", SampleRecords.request("img-3"));
    assertEquals("img-3", queries.deserializer().deserialize("alvlm.queries", q).getId());

    SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
        () -> cold.value(Label.class).deserializer().deserialize("alvlm.labels", oldLabel));
    assertEquals(true, e.outage(), "the registry is gone: " + e.getMessage());
  }

  @Test
  void warmingASubjectNoOneRegisteredYetIsNotAnError() throws IOException {
    try (SchemaRegistryStandIn registry = SchemaRegistryStandIn.start()) {
      AvroSerdes serdes = AvroSerdes.from(registry.serdeConfig());
      serdes.warm("alvlm.labels", Label.class, false);
      assertEquals(0, registry.versions("alvlm.labels-value"), "a reader registers nothing");
      serdes.warm("alvlm.queries", AnnotationRequest.class, true);
      assertEquals(1, registry.versions("alvlm.queries-value"), "a writer registers its schema, as its first record would");
    }
  }
}
