/**
 * Soaks: the roles of a deployment (two embedders, the pool, the trainer, the workbench with a
 * scripted annotator answering over HTTP) as separate JVMs from the packaged jar, on a broker and a
 * schema registry that are processes of their own, fed at a set rate for minutes or hours while
 * faults are played on them (SIGKILLs, a broker restart, a registry outage, a frozen process, a full
 * disk); every process sampled every 10 s; at the end the exactly-once invariants of the chaos runs,
 * the resident-set slope of each role and the recovery from every fault. {@code alvlm soak} and
 * {@code SoakIT} drive it.
 */
package io.alvlm.soak;
