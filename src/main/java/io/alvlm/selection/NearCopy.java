package io.alvlm.selection;

/**
 * Row {@code row} is a near-copy of row {@code of}: their cosine similarity {@code cosine} is at or above a
 * round's {@code query.dedup.cosine}.
 */
public record NearCopy(int row, int of, double cosine) {}
