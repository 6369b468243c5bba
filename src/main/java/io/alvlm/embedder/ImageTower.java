package io.alvlm.embedder;

import java.util.List;

/**
 * What the embedder needs of the CLIP image side: CLIP preprocessing of encoded bytes (thread-safe,
 * refusing bad or oversized images with a reason) and batched projection features (one thread at a time).
 */
public interface ImageTower extends AutoCloseable {
  /** CLIP-preprocessed pixels (CHW floats) of an encoded image. */
  float[] preprocess(String id, byte[] encoded) throws ImageRejected;

  /** Projection features (not normalised) of each preprocessed image, in order. */
  float[][] embed(List<float[]> pixels);

  /** Identifies the checkpoint (carried in {@code ImageEmbedding.modelId}). */
  String modelId();

  @Override
  void close();
}
