package io.alvlm;

/**
 * The lock that keeps ITs whose checks depend on time (a batch against the transaction timeout, a model
 * published within a minute, fences counted during a registry wait, the chaos run's deadline) from running
 * beside the soak, the one IT that runs concurrently with the others (failsafe's JUnit parallel mode).
 */
public final class TimedIts {
  public static final String LOCK = "io.alvlm.timed-its";

  private TimedIts() {}
}
