package io.alvlm.config;

/** Which sub-topologies an instance runs ({@code role}): all of them, or one. */
public enum Role {
  ALL, EMBEDDER, POOL, TRAINER;

  /** Whether an instance of this role runs {@code part}'s sub-topology. */
  public boolean runs(Role part) {
    return this == ALL || this == part;
  }
}
