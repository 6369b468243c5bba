package io.alvlm.selection;

/** Where an image stands in active learning (docs: cec.md, "Pool states"). */
public enum PoolStatus {
  /** In the pool and eligible for a query. */
  UNLABELED,
  /** Sent for annotation, not answered yet: not eligible, but still part of the unlabelled pool. */
  PENDING,
  /** Labelled: out of the pool. */
  LABELED
}
