package io.alvlm.selection;

import java.util.Objects;
import java.util.Optional;

/**
 * What a strategy sees of the pool: one row per image (unlabelled, pending and labelled alike), the
 * current class text features and each row's status and label.
 *
 * <p>{@code features} holds at least {@code rows} rows of width {@code dim} (rows past {@code rows} are ignored; a
 * live pool hands out its chunks, see {@link FeatureRows}) and {@code classText} is {@code [classes, dim]};
 * both are L2-normalised by {@link #of}. {@code labels[i]} is the class index of a labelled row and
 * -1 otherwise. {@code neighbors}, when present, holds k-nearest-neighbour lists maintained as images
 * arrived (see {@link NeighborLists}); strategies that need neighbours use them instead of computing
 * their own. {@code probabilities}, when present, holds the maintained zero-shot probabilities of every
 * row (see {@link ClassProbabilities}); strategies gather them instead of recomputing the N × C product.
 */
public record PoolView(
    FeatureRows features,
    int rows,
    int dim,
    float[] classText,
    int classes,
    float logitScale,
    PoolStatus[] status,
    int[] labels,
    Optional<NeighborLists> neighbors,
    Optional<ClassProbabilities> probabilities) {

  public PoolView {
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(classText, "classText");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(neighbors, "neighbors");
    Objects.requireNonNull(probabilities, "probabilities");
    if (features.dim() != dim || features.rows() < rows) {
      throw new IllegalArgumentException("features hold " + features.rows() + " rows of width " + features.dim()
          + ", not at least rows=" + rows + " of dim=" + dim);
    }
    if ((long) classes * dim != classText.length) {
      throw new IllegalArgumentException("class text holds " + classText.length + " values, not classes*dim=" + classes + "*" + dim);
    }
    if (status.length != rows || labels.length != rows) {
      throw new IllegalArgumentException("status/labels must have one entry per row (" + rows + ")");
    }
  }

  /** A view over copies of the given arrays, with rows and class vectors L2-normalised. */
  public static PoolView of(float[] features, int dim, float[] classText, float logitScale,
      PoolStatus[] status, int[] labels) {
    float[] f = Vectors.normalizedRows(features, dim);
    float[] t = Vectors.normalizedRows(classText, dim);
    return new PoolView(FeatureRows.of(f, dim), f.length / dim, dim, t, t.length / dim, logitScale, status.clone(), labels.clone(),
        Optional.empty(), Optional.empty());
  }

  /**
   * A view that takes over {@code features} and {@code classText}: their rows are normalised in
   * place, with no copy (for a caller that holds the pool once, such as {@code select} on a large file).
   */
  public static PoolView owning(float[] features, int dim, float[] classText, float logitScale,
      PoolStatus[] status, int[] labels) {
    float[] f = Vectors.normalizeRows(features, dim);
    float[] t = Vectors.normalizeRows(classText, dim);
    return new PoolView(FeatureRows.of(f, dim), f.length / dim, dim, t, t.length / dim, logitScale, status, labels, Optional.empty(),
        Optional.empty());
  }

  /** A fully unlabelled pool. */
  public static PoolView unlabeled(float[] features, int dim, float[] classText, float logitScale) {
    int n = features.length / dim;
    PoolStatus[] s = new PoolStatus[n];
    java.util.Arrays.fill(s, PoolStatus.UNLABELED);
    int[] l = new int[n];
    java.util.Arrays.fill(l, -1);
    return of(features, dim, classText, logitScale, s, l);
  }

  /** The same pool with maintained neighbour lists attached. */
  public PoolView withNeighbors(NeighborLists lists) {
    return new PoolView(features, rows, dim, classText, classes, logitScale, status, labels, Optional.of(lists),
        probabilities);
  }

  /** The same pool with rows in another state ({@code status}, one per row, is taken over, not copied). */
  public PoolView withStatus(PoolStatus[] status) {
    return new PoolView(features, rows, dim, classText, classes, logitScale, status, labels, neighbors, probabilities);
  }

  /** The same pool with maintained class probabilities attached. */
  public PoolView withProbabilities(ClassProbabilities p) {
    return new PoolView(features, rows, dim, classText, classes, logitScale, status, labels, neighbors, Optional.of(p));
  }

  public boolean eligible(int row) {
    return status[row] == PoolStatus.UNLABELED;
  }

  /** Part of the unlabelled pool (eligible or pending): counts for neighbours and the prior. */
  public boolean unlabelledPool(int row) {
    return status[row] != PoolStatus.LABELED;
  }
}
