package io.alvlm.serde;

import io.alvlm.avro.AnnotationRequest;
import io.alvlm.avro.ClassGuess;
import io.alvlm.avro.DeadLetter;
import io.alvlm.avro.ImageEmbedding;
import io.alvlm.avro.ImageEvent;
import io.alvlm.avro.Label;
import io.alvlm.avro.LabelOutcome;
import io.alvlm.avro.PromptModel;
import io.alvlm.avro.QueryRound;
import io.alvlm.avro.VectorPrecision;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** One filled-in record of each type that travels on alvlm's topics. */
public final class SampleRecords {
  public static final Instant T0 = Instant.ofEpochMilli(1_790_000_000_000L);

  private SampleRecords() {}

  public static List<SpecificRecord> all() {
    return List.of(image("img-1"), embedding("img-1"), request("img-1"), label("img-1"),
        model(), round(), deadLetter());
  }

  public static ImageEvent image(String id) {
    return ImageEvent.newBuilder().setId(id).setBytes(ByteBuffer.wrap(new byte[] {(byte) 0x89, 'P', 'N', 'G'}))
        .setContentType("image/png").setSource("test").setTimestamp(T0)
        .setAttributes(Map.of("camera", "a")).build();
  }

  public static ImageEmbedding embedding(String id) {
    return ImageEmbedding.newBuilder().setId(id).setUri("file:/x.png").setModelId("clip-tiny")
        .setVector(ByteBuffer.wrap(new byte[] {0, 60, 0, 64})).setPrecision(VectorPrecision.FLOAT16)
        .setDim(2).setImageTimestamp(T0).setEmbeddedAt(T0.plusSeconds(1)).build();
  }

  public static AnnotationRequest request(String id) {
    return AnnotationRequest.newBuilder().setQueryId("q-1").setRound(3).setId(id).setUri("file:/x.png")
        .setStrategy("cec").setCalibratedEntropy(0.5).setNeighborEntropy(0.25).setUncertainty(0.75)
        .setScores(Map.of("density", 1.5)).setCluster(2)
        .setGuesses(List.of(new ClassGuess("cat", 0.6), new ClassGuess("dog", 0.3)))
        .setModelVersion(4).setCreatedAt(T0).setDeadline(T0.plusSeconds(3600)).build();
  }

  public static Label label(String id) {
    return Label.newBuilder().setId(id).setOutcome(LabelOutcome.LABELED).setClassName("cat")
        .setAnnotator("ann-7").setQueryId("q-1").setLabeledAt(T0).build();
  }

  public static PromptModel model() {
    return PromptModel.newBuilder().setName("coop").setVersion(2).setBaseModelId("clip-tiny")
        .setClassNames(List.of("cat", "dog")).setNCtx(4).setCtxWidth(2)
        .setContext(ByteBuffer.wrap(new byte[32])).setDim(2).setTextFeatures(ByteBuffer.wrap(new byte[16]))
        .setLogitScale(100f).setMetrics(Map.of("accuracy", 0.9)).setCreatedAt(T0).build();
  }

  public static QueryRound round() {
    return QueryRound.newBuilder().setRound(3).setStrategy("cec").setTrigger("interval").setBudget(10)
        .setSelected(10).setUnlabeled(90).setPending(10).setLabeled(5).setModelVersion(2)
        .setTimingsMs(Map.of("select", 12.5)).setClassPrior(List.of(0.5, 0.5)).setOpenedAt(T0).build();
  }

  public static DeadLetter deadLetter() {
    return DeadLetter.newBuilder().setStage("deserialization").setReason("bad-magic").setError("boom")
        .setTopic("alvlm.labels").setPartition(0).setOffset(7).setKey(ByteBuffer.wrap(new byte[] {'k'}))
        .setValue(ByteBuffer.wrap(new byte[] {1, 2})).setFailedAt(T0).build();
  }
}
