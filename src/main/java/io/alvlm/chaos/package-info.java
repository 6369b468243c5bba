/**
 * Chaos runs: the service as a child JVM on an embedded broker, killed with SIGKILL at chosen
 * moments, its state directory wiped, the broker restarted, while images (some corrupt) stream in and
 * a simulated annotator answers; then the exactly-once invariants of the design are checked on the
 * topics. {@code alvlm chaos} and {@code ChaosIT} drive it.
 */
package io.alvlm.chaos;
