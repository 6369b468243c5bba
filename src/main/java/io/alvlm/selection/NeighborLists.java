package io.alvlm.selection;

/**
 * k-nearest-neighbour lists of pool rows, kept up to date as images arrive so that a query round
 * only gathers them (the N² work is paid on arrival). Neighbours are other rows of the unlabelled
 * pool (UNLABELED or PENDING) by cosine similarity, most similar first.
 */
public interface NeighborLists {
  /** Rows of the k nearest neighbours of {@code row}; fewer when the pool is smaller than k+1. */
  int[] neighbors(int row);

  /** Cosine similarities matching {@link #neighbors(int)}. */
  float[] similarities(int row);
}
