package io.alvlm.pool;

/** The names of the pool processor's sinks, which the topology binds to their topics. */
public final class PoolSinks {
  public static final String TO_TRAINING = "to-training";
  public static final String TO_DLQ = "pool-to-dlq";
  public static final String TO_QUERIES = "to-queries";
  public static final String TO_ROUNDS = "to-rounds";
  public static final String TO_NOTICES = "to-notices";

  private PoolSinks() {}
}
