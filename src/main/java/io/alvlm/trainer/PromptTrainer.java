package io.alvlm.trainer;

import io.alvlm.avro.PromptModel;
import java.util.List;

/**
 * What the trainer task needs of CoOp: the zero-shot model (version 0) and a model trained on labelled
 * image features. Implementations run on one thread at a time; {@code version}, {@code name} and
 * {@code createdAt} of the returned record are set by the caller.
 */
public interface PromptTrainer extends AutoCloseable {
  /** Hand-written prompts ({@code prompt.template}) for every class: the model before any label. */
  PromptModel zeroShot(List<String> classNames);

  /**
   * CoOp prompts trained on {@code features[i]} (projection features, not normalised) labelled
   * {@code labels[i]} (class index): from scratch (the paper restarts each round from zero-shot), or,
   * with {@code train.warm-start}, from {@code current}'s context (the published model, or null).
   * The returned metrics include {@code loss} (final epoch mean) and {@code seconds}. Stops with a
   * {@link java.util.concurrent.CancellationException} at the first step after {@code cancelled} turns true.
   */
  PromptModel train(List<String> classNames, float[][] features, int[] labels, PromptModel current,
      java.util.function.BooleanSupplier cancelled);

  @Override
  void close();
}
