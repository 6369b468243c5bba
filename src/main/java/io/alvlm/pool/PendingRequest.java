package io.alvlm.pool;

/** An image a round sent for annotation, with its deadline (wall-clock ms). */
record PendingRequest(String id, long deadline) {}
