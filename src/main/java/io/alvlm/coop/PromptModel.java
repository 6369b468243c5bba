package io.alvlm.coop;

import io.alvlm.data.VectorBytes;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alvlm.data.SafeTensors;
import io.alvlm.selection.ZeroShotProbabilities;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A prompt model: learnt CoOp context vectors (or none, for zero-shot prompts), the class names,
 * their L2-normalised text features, the logit scale and training metrics — the content of the
 * Avro {@code io.alvlm.avro.PromptModel} record, with which it converts losslessly. It is the one
 * model type: the pool, the trainer, {@code eval} and {@code evaluate} decode with {@link #fromAvro}
 * and score with {@link #probabilities} and {@link #accuracy}.
 *
 * <p>Saved as one safetensors file: tensors {@code ctx} ({@code [nCtx, width]}, or
 * {@code [classes, nCtx, width]} when class-specific) and {@code text_features} ({@code [classes,
 * dim]}), and every other field as JSON in the header's {@code __metadata__["prompt_model"]}.
 * Immutable; arrays are not copied, do not modify them.
 *
 * @param context float32, row-major, empty when {@code nCtx == 0}
 * @param textFeatures float32 {@code [classes, dim]} row-major, rows L2-normalised
 * @param logitScale {@code exp(logit_scale)} of the base model
 * @param createdAt millisecond precision
 */
public record PromptModel(String name, long version, String baseModelId, List<String> classNames, int nCtx,
    int ctxWidth, boolean classSpecific, float[] context, int dim, float[] textFeatures, float logitScale,
    Map<String, Double> metrics, Instant createdAt) {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String METADATA_KEY = "prompt_model";

  public PromptModel {
    classNames = List.copyOf(classNames);
    metrics = java.util.Collections.unmodifiableMap(new TreeMap<>(metrics));
    createdAt = createdAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    long ctxCount = (long) (classSpecific ? classNames.size() : 1) * nCtx * ctxWidth;
    if (context.length != ctxCount) {
      throw new IllegalArgumentException("context has " + context.length + " values, expected " + ctxCount);
    }
    if (textFeatures.length != (long) classNames.size() * dim) {
      throw new IllegalArgumentException("textFeatures has " + textFeatures.length + " values, expected "
          + classNames.size() + "×" + dim);
    }
  }

  public int classes() {
    return classNames.size();
  }

  /** Text features as {@code [classes][dim]} rows (copies). */
  public float[][] classFeatures() {
    float[][] out = new float[classes()][];
    for (int i = 0; i < out.length; i++) out[i] = Arrays.copyOfRange(textFeatures, i * dim, (i + 1) * dim);
    return out;
  }

  /**
   * Class probabilities {@code softmax(logitScale · f·T)} of one L2-normalised image feature, the
   * score the pool ranks and guesses with ({@link ZeroShotProbabilities#ofRow}).
   */
  public double[] probabilities(float[] normalisedFeature) {
    return ZeroShotProbabilities.ofRow(normalisedFeature, textFeatures, classes(), logitScale);
  }

  /** Top-1 and per-class accuracy of this model on labelled image features, the score the trainer gates with. */
  public Accuracy accuracy(float[][] imageFeatures, int[] labels) {
    return Accuracy.of(this, imageFeatures, labels);
  }

  public long[] contextShape() {
    return classSpecific ? new long[] {classes(), nCtx, ctxWidth} : new long[] {nCtx, ctxWidth};
  }

  /** The same model with another name and version (what a publisher stamps on it). */
  public PromptModel withVersion(String newName, long newVersion) {
    return new PromptModel(newName, newVersion, baseModelId, classNames, nCtx, ctxWidth, classSpecific, context, dim,
        textFeatures, logitScale, metrics, createdAt);
  }

  public io.alvlm.avro.PromptModel toAvro() {
    return io.alvlm.avro.PromptModel.newBuilder().setName(name).setVersion(version).setBaseModelId(baseModelId)
        .setClassNames(new ArrayList<>(classNames)).setNCtx(nCtx).setCtxWidth(ctxWidth).setClassSpecific(classSpecific)
        .setContext(VectorBytes.float32(context)).setDim(dim).setTextFeatures(VectorBytes.float32(textFeatures)).setLogitScale(logitScale)
        .setMetrics(new LinkedHashMap<>(metrics)).setCreatedAt(createdAt).build();
  }

  public static PromptModel fromAvro(io.alvlm.avro.PromptModel a) {
    return new PromptModel(a.getName(), a.getVersion(), a.getBaseModelId(), a.getClassNames(), a.getNCtx(),
        a.getCtxWidth(), a.getClassSpecific(), VectorBytes.floats(a.getContext()), a.getDim(), VectorBytes.floats(a.getTextFeatures()),
        a.getLogitScale(), a.getMetrics(), a.getCreatedAt());
  }

  /** Writes {@code file} (safetensors with JSON metadata). */
  public void save(Path file) throws IOException {
    ObjectNode meta = JSON.createObjectNode();
    meta.put("name", name).put("version", version).put("base_model_id", baseModelId).put("n_ctx", nCtx)
        .put("ctx_width", ctxWidth).put("class_specific", classSpecific).put("dim", dim)
        .put("logit_scale", logitScale).put("created_at", createdAt.toEpochMilli());
    classNames.forEach(meta.putArray("class_names")::add);
    ObjectNode m = meta.putObject("metrics");
    metrics.forEach(m::put);
    Map<String, SafeTensors.Floats> tensors = new LinkedHashMap<>();
    tensors.put("ctx", new SafeTensors.Floats(context, contextShape()));
    tensors.put("text_features", new SafeTensors.Floats(textFeatures, new long[] {classes(), dim}));
    SafeTensors.write(file, tensors, Map.of(METADATA_KEY, JSON.writeValueAsString(meta), "format", "pt"));
  }

  /** Reads a file written by {@link #save}. */
  public static PromptModel load(Path file) throws IOException {
    SafeTensors st = SafeTensors.open(file);
    String json = st.metadata().get(METADATA_KEY);
    if (json == null) {
      throw new IOException(file + " has no '" + METADATA_KEY + "' metadata: not a prompt model saved by alvlm train");
    }
    var meta = JSON.readTree(json);
    List<String> names = new ArrayList<>();
    meta.get("class_names").forEach(n -> names.add(n.asText()));
    Map<String, Double> metrics = new LinkedHashMap<>();
    meta.get("metrics").fields().forEachRemaining(e -> metrics.put(e.getKey(), e.getValue().asDouble()));
    int nCtx = meta.get("n_ctx").asInt();
    return new PromptModel(meta.get("name").asText(), meta.get("version").asLong(), meta.get("base_model_id").asText(),
        names, nCtx, meta.get("ctx_width").asInt(), meta.get("class_specific").asBoolean(),
        st.floats("ctx").data(), meta.get("dim").asInt(), st.floats("text_features").data(),
        meta.get("logit_scale").floatValue(), metrics, Instant.ofEpochMilli(meta.get("created_at").asLong()));
  }

  /** Records compare arrays by identity; this compares every field by value. */
  public boolean sameContent(PromptModel o) {
    return name.equals(o.name) && version == o.version && baseModelId.equals(o.baseModelId)
        && classNames.equals(o.classNames) && nCtx == o.nCtx && ctxWidth == o.ctxWidth
        && classSpecific == o.classSpecific && Arrays.equals(context, o.context) && dim == o.dim
        && Arrays.equals(textFeatures, o.textFeatures) && Float.floatToIntBits(logitScale) == Float.floatToIntBits(
            o.logitScale) && metrics.equals(o.metrics) && createdAt.equals(o.createdAt);
  }
}
