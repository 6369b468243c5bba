package io.alvlm.selection;

/**
 * k-nearest-neighbour lists as plain arrays: {@code ids[r]} the neighbour rows of row {@code r}, most
 * similar first (ties to the smaller row), {@code sims[r]} their cosine similarities. Rows that were not
 * queried hold empty arrays.
 */
public record NeighborTable(int[][] ids, float[][] sims) implements NeighborLists {
  @Override
  public int[] neighbors(int row) {
    return ids[row].clone();
  }

  @Override
  public float[] similarities(int row) {
    return sims[row].clone();
  }
}
