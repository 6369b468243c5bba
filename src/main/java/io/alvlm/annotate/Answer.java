package io.alvlm.annotate;

import io.alvlm.avro.LabelOutcome;
import java.util.Objects;

/**
 * One annotator's answer to one request.
 *
 * @param outcome what kind of answer
 * @param className the class when {@code outcome} is LABELED, else null
 */
public record Answer(LabelOutcome outcome, String className) {
  public Answer {
    Objects.requireNonNull(outcome, "outcome");
    if ((outcome == LabelOutcome.LABELED) != (className != null)) {
      throw new IllegalArgumentException("a class name goes with LABELED and only with it (got " + outcome + ", " + className + ")");
    }
  }

  public static Answer labeled(String className) {
    return new Answer(LabelOutcome.LABELED, Objects.requireNonNull(className, "className"));
  }

  public static Answer of(LabelOutcome outcome) {
    return new Answer(outcome, null);
  }
}
