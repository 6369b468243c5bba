package io.alvlm.annotate;

import io.alvlm.avro.AnnotationRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Why an image was asked, in words a labeller understands. Entropies (nats) become an "effective
 * number of classes" ({@code e^H}: 1 when the model is sure, the number of classes when it has no
 * idea), which says the same thing without the unit.
 */
public final class Explanation {
  /** The request reason of a suspect label asked again. */
  static final String RECHECK = "recheck";

  private Explanation() {}

  public static List<String> of(AnnotationRequest r, int classes) {
    List<String> out = new ArrayList<>();
    if (RECHECK.equals(r.getReason())) {
      // the label it has is not shown: a second look should not lean on the first
      out.add("A check: this image has a label already, but the model and similar labelled images disagree with it. "
          + "Label it as you see it; your answer replaces the old label if they differ.");
      return out;
    }
    double own = Math.exp(r.getCalibratedEntropy());
    double near = Math.exp(r.getNeighborEntropy());
    out.add(String.format(Locale.ROOT, "The model hesitates between about %.1f of the %d classes for this image (1 would mean sure).",
        own, classes));
    if (r.getNeighborEntropy() > 0) {
      out.add(String.format(Locale.ROOT, "Images that look like it are %s unsure: about %.1f classes.",
          near >= own ? "just as" : "less", near));
    }
    if (r.getCluster() >= 0) {
      out.add(String.format(Locale.ROOT, "It stands for group %d of similar images, so this answer teaches the model about all of them"
          + " (uncertainty %.2f).", r.getCluster(), r.getUncertainty()));
    } else {
      out.add(String.format(Locale.ROOT, "Chosen by the %s strategy in round %d (uncertainty %.2f).", r.getStrategy(),
          r.getRound(), r.getUncertainty()));
    }
    return out;
  }
}
