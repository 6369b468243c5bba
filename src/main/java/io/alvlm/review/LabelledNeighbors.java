package io.alvlm.review;

import io.alvlm.selection.BlockProduct;
import io.alvlm.selection.Compute;
import io.alvlm.selection.FeatureRows;
import io.alvlm.selection.MaintainedNeighbors;
import io.alvlm.selection.NeighborLists;
import java.util.BitSet;
import java.util.Objects;

/**
 * Each labelled image's nearest other labelled images, the neighbours {@link LabelAudit} asks: the pool's
 * own lists hold only unlabelled rows, so the labelled rows get lists of their own, maintained the same way
 * ({@link MaintainedNeighbors}): a batch of new labels costs {@code batch × labelled × dim} multiply-adds,
 * never a pass over the pool. Rows are the pool's; a label corrected later keeps its row's place.
 */
public final class LabelledNeighbors implements NeighborLists {
  private final MaintainedNeighbors lists;
  private final BitSet members = new BitSet();
  private final BlockProduct products;

  public LabelledNeighbors(int k) {
    this(k, new BlockProduct(Compute.cpu()));
  }

  public LabelledNeighbors(int k, BlockProduct products) {
    this.lists = new MaintainedNeighbors(k);
    this.products = Objects.requireNonNull(products, "products");
  }

  /** Adds newly labelled {@code rows} of {@code features} (L2-normalised; rows already here are skipped). */
  public void add(FeatureRows features, int[] rows) {
    int[] fresh = java.util.Arrays.stream(rows).filter(r -> !members.get(r)).distinct().toArray();
    if (fresh.length == 0) return;
    for (int r : fresh) members.set(r);
    lists.fold(features, members.length(), members::get, fresh, products);
  }

  public boolean contains(int row) {
    return members.get(row);
  }

  public int size() {
    return members.cardinality();
  }

  @Override
  public int[] neighbors(int row) {
    return lists.neighbors(row);
  }

  @Override
  public float[] similarities(int row) {
    return lists.similarities(row);
  }
}
