package io.alvlm.bench;

import io.alvlm.avro.ImageEmbedding;
import io.alvlm.avro.VectorPrecision;
import io.alvlm.data.VectorBytes;
import io.alvlm.selection.Vectors;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;

/**
 * CLIP-like synthetic features for benchmarks: each image sits between its class and a confusable
 * one, under heavy noise, so zero-shot predictions range from confident to ambiguous as in real
 * pools; class frequencies are skewed. {@code bench/select_reference.py} writes the same in numpy.
 */
record SyntheticPool(float[] features, float[] text, int n, int dim, int classes) {
  static SyntheticPool generate(int n, int dim, int classes, long seed) {
    Random r = new Random(seed);
    float[] text = new float[classes * dim];
    for (int i = 0; i < text.length; i++) text[i] = (float) r.nextGaussian();
    float[] t = Vectors.normalizedRows(text, dim);
    float[] f = new float[n * dim];
    double noise = 0.9 / Math.sqrt(dim);
    for (int i = 0; i < n; i++) {
      int c = Math.min(classes - 1, (int) (classes * Math.pow(r.nextDouble(), 1.5)));
      int c2 = r.nextInt(classes);
      double a = 0.3, b = 0.3 * r.nextDouble();
      for (int d = 0; d < dim; d++) {
        f[i * dim + d] = (float) (a * t[c * dim + d] + b * t[c2 * dim + d] + noise * r.nextGaussian());
      }
    }
    return new SyntheticPool(f, text, n, dim, classes);
  }

  /** Row {@code i} as the embedder would send it: image {@code img<i>}, fp32. */
  ImageEmbedding embedding(int i) {
    return ImageEmbedding.newBuilder().setId("img" + i).setModelId("synthetic")
        .setVector(VectorBytes.float32(Arrays.copyOfRange(features, i * dim, (i + 1) * dim))).setPrecision(VectorPrecision.FLOAT32)
        .setDim(dim).setImageTimestamp(Instant.EPOCH).setEmbeddedAt(Instant.EPOCH).build();
  }
}
