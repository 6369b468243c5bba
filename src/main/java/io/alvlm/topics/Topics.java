package io.alvlm.topics;

import io.alvlm.avro.AnnotationRequest;
import io.alvlm.avro.DeadLetter;
import io.alvlm.avro.ImageEmbedding;
import io.alvlm.avro.ImageEvent;
import io.alvlm.avro.Label;
import io.alvlm.avro.PromptModel;
import io.alvlm.avro.QueryRound;
import io.alvlm.avro.RoundControl;
import io.alvlm.avro.TrainingEvent;
import io.alvlm.serde.AvroSerdes;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;

/**
 * alvlm's topics with their serdes, built once from a serde factory. Keys are image ids (String)
 * except {@code models} (model name), {@code rounds} (round number as a string), {@code control} ("rounds"), {@code notices} ("pool") and {@code dlq}
 * (the original key bytes, unchanged).
 */
public final class Topics {
  public final Topic<String, ImageEvent> images;
  public final Topic<String, ImageEmbedding> embeddings;
  public final Topic<String, AnnotationRequest> queries;
  public final Topic<String, Label> labels;
  public final Topic<String, PromptModel> models;
  public final Topic<String, QueryRound> rounds;
  public final Topic<byte[], DeadLetter> dlq;
  public final Topic<String, TrainingEvent> training;
  public final Topic<String, RoundControl> control;
  public final Topic<String, io.alvlm.avro.PoolNotice> notices;

  public Topics(AvroSerdes serdes) {
    Objects.requireNonNull(serdes, "serdes");
    images = new Topic<>(TopicSpecs.IMAGES, Serdes.String(), serdes.value(ImageEvent.class));
    embeddings = new Topic<>(TopicSpecs.EMBEDDINGS, Serdes.String(), serdes.value(ImageEmbedding.class));
    queries = new Topic<>(TopicSpecs.QUERIES, Serdes.String(), serdes.value(AnnotationRequest.class));
    labels = new Topic<>(TopicSpecs.LABELS, Serdes.String(), serdes.value(Label.class));
    models = new Topic<>(TopicSpecs.MODELS, Serdes.String(), serdes.value(PromptModel.class));
    rounds = new Topic<>(TopicSpecs.ROUNDS, Serdes.String(), serdes.value(QueryRound.class));
    dlq = new Topic<>(TopicSpecs.DLQ, Serdes.ByteArray(), serdes.value(DeadLetter.class));
    training = new Topic<>(TopicSpecs.TRAINING, Serdes.String(), serdes.value(TrainingEvent.class));
    control = new Topic<>(TopicSpecs.CONTROL, Serdes.String(), serdes.value(RoundControl.class));
    notices = new Topic<>(TopicSpecs.NOTICES, Serdes.String(), serdes.value(io.alvlm.avro.PoolNotice.class));
  }

  /** Every topic, in the order of {@link TopicSpecs#from}. */
  public List<Topic<?, ?>> all() {
    return List.of(images, embeddings, queries, labels, models, rounds, dlq, training, control, notices);
  }
}
