package io.alvlm.eval;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a replay of active learning needs once features exist: the pool and test image
 * features with their true labels, the zero-shot class features and the logit scale the
 * strategies score with.
 *
 * @param name dataset name for reports
 * @param pool pool image features {@code [n][dim]} (any norm)
 * @param test test image features {@code [m][dim]}
 * @param zeroShot zero-shot class features {@code [classes][dim]}
 * @param logitScale CLIP's {@code exp(logit_scale)}
 * @param paperDataset the dataset's name in the CEC paper when it is one of its six
 */
public record Benchmark(String name, List<String> classNames, float[][] pool, int[] poolLabels, float[][] test,
    int[] testLabels, float[][] zeroShot, float logitScale, Optional<String> paperDataset) {
  public Benchmark {
    Objects.requireNonNull(name, "name");
    classNames = List.copyOf(classNames);
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(test, "test");
    Objects.requireNonNull(zeroShot, "zeroShot");
    Objects.requireNonNull(paperDataset, "paperDataset");
    if (pool.length != poolLabels.length) {
      throw new IllegalArgumentException(pool.length + " pool features but " + poolLabels.length + " labels");
    }
    if (test.length != testLabels.length) {
      throw new IllegalArgumentException(test.length + " test features but " + testLabels.length + " labels");
    }
    if (zeroShot.length != classNames.size()) {
      throw new IllegalArgumentException(zeroShot.length + " zero-shot class rows but " + classNames.size()
          + " class names");
    }
    if (pool.length == 0) throw new IllegalArgumentException(name + ": the pool is empty");
    int dim = zeroShot[0].length;
    for (float[][] m : List.of(pool, test)) {
      if (m.length > 0 && m[0].length != dim) {
        throw new IllegalArgumentException("image features have width " + m[0].length + ", class features " + dim
            + ": were they made with the same model?");
      }
    }
  }

  public int classes() {
    return classNames.size();
  }

  public int dim() {
    return zeroShot[0].length;
  }
}
