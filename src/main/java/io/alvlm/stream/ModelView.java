package io.alvlm.stream;

import io.alvlm.avro.PromptModel;
import io.alvlm.data.VectorBytes;
import io.alvlm.selection.ZeroShotProbabilities;
import java.util.List;

/** The parts of a {@link PromptModel} the pool scores with: class names, normalised class text features, logit scale. */
record ModelView(long version, List<String> classNames, float[] textFeatures, int dim, float logitScale) {
  static ModelView of(PromptModel m) {
    int c = m.getClassNames().size();
    return new ModelView(m.getVersion(), List.copyOf(m.getClassNames()), VectorBytes.decode(m.getTextFeatures(), c * m.getDim(), false),
        m.getDim(), m.getLogitScale());
  }

  int classes() {
    return classNames.size();
  }

  /** softmax(scale · f·T) for one normalised feature vector. */
  double[] probabilities(float[] f) {
    return ZeroShotProbabilities.ofRow(f, textFeatures, classes(), logitScale);
  }
}
