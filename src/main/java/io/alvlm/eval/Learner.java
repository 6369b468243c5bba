package io.alvlm.eval;

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
}
