package io.alvlm.coop;

import java.util.Arrays;

/**
 * Classification accuracy of class text features on labelled image features: each image goes to
 * the class of highest cosine similarity.
 *
 * @param top1 fraction of images classified right, in [0, 1]
 * @param perClass per class, the fraction of its images classified right (NaN for a class with none)
 * @param meanPerClass mean of {@code perClass} over classes that have images
 * @param images number of images evaluated
 */
public record Accuracy(double top1, double[] perClass, double meanPerClass, int images) {

  /** Accuracy of {@code model}'s text features. */
  public static Accuracy of(PromptModel model, float[][] imageFeatures, int[] labels) {
    return of(model.classFeatures(), imageFeatures, labels);
  }

  /** Accuracy of class features {@code [classes][dim]} (any norm) on image features {@code [n][dim]}. */
  public static Accuracy of(float[][] classFeatures, float[][] imageFeatures, int[] labels) {
    if (imageFeatures.length != labels.length) {
      throw new IllegalArgumentException(imageFeatures.length + " feature rows but " + labels.length + " labels");
    }
    int c = classFeatures.length;
    float[][] classes = new float[c][];
    for (int k = 0; k < c; k++) classes[k] = Features.normalise(classFeatures[k]);
    int[] seen = new int[c];
    int[] right = new int[c];
    int correct = 0;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= c) {
        throw new IllegalArgumentException("label " + labels[i] + " of row " + i + " is not in [0, " + c + ")");
      }
      if (imageFeatures[i].length != classes[0].length) {
        throw new IllegalArgumentException("image features have width " + imageFeatures[i].length
            + ", class features " + classes[0].length + ": were they made with the same model?");
      }
      int best = 0;
      float bestScore = Float.NEGATIVE_INFINITY;
      for (int k = 0; k < c; k++) {
        float s = Features.dot(imageFeatures[i], classes[k]);
        if (s > bestScore) {
          bestScore = s;
          best = k;
        }
      }
      seen[labels[i]]++;
      if (best == labels[i]) {
        right[labels[i]]++;
        correct++;
      }
    }
    double[] per = new double[c];
    double sum = 0;
    int present = 0;
    for (int k = 0; k < c; k++) {
      per[k] = seen[k] == 0 ? Double.NaN : right[k] / (double) seen[k];
      if (seen[k] > 0) {
        sum += per[k];
        present++;
      }
    }
    return new Accuracy(labels.length == 0 ? Double.NaN : correct / (double) labels.length, per,
        present == 0 ? Double.NaN : sum / present, labels.length);
  }

  @Override
  public String toString() {
    return String.format("top-1 %.4f, mean per-class %.4f over %d images; per class %s", top1, meanPerClass, images,
        Arrays.toString(Arrays.stream(perClass).map(v -> Math.round(v * 1e4) / 1e4).toArray()));
  }
}
