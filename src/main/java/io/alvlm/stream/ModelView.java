package io.alvlm.stream;

import io.alvlm.avro.PromptModel;
import io.alvlm.data.VectorBytes;
import java.util.List;

/** The parts of a {@link PromptModel} the pool scores with: class names, normalised class text features, logit scale. */
record ModelView(long version, List<String> classNames, float[] textFeatures, int dim, float logitScale) {
  static ModelView of(PromptModel m) {
    int c = m.getClassNames().size();
    return new ModelView(m.getVersion(), List.copyOf(m.getClassNames()), VectorBytes.matrix(m.getTextFeatures(), c * m.getDim()),
        m.getDim(), m.getLogitScale());
  }

  int classes() {
    return classNames.size();
  }

  /** softmax(scale · f·T) for one normalised feature vector. */
  double[] probabilities(float[] f) {
    int c = classes();
    double[] logits = new double[c];
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < c; k++) {
      double s = 0;
      for (int j = 0; j < dim; j++) s += (double) f[j] * textFeatures[k * dim + j];
      logits[k] = logitScale * s;
      max = Math.max(max, logits[k]);
    }
    double z = 0;
    for (int k = 0; k < c; k++) {
      logits[k] = Math.exp(logits[k] - max);
      z += logits[k];
    }
    for (int k = 0; k < c; k++) logits[k] /= z;
    return logits;
  }
}
