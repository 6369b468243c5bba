package io.alvlm.eval;

import io.alvlm.coop.WarmStart;

/**
 * What a round trains: class features learnt from the labelled pool rows, always starting again
 * from the zero-shot classifier (the paper's protocol), so a round depends only on its labels.
 */
public interface Learner {
  /**
   * Trains on pool rows {@code rows} with classes {@code labels}.
   *
   * @return class features {@code [classes][dim]}, L2-normalised; images go to the class of highest cosine
   */
  float[][] train(int[] rows, int[] labels, long seed);

  /**
   * A fresh learner for one replay (one strategy and seed) that starts each training from where its
   * previous training ended, with {@code warm.epochs()} epochs, as the service's
   * {@code train.warm-start} does; its first training starts from zero-shot with the full epochs.
   */
  default Learner warmStarted(WarmStart warm) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has no warm start");
  }
}
