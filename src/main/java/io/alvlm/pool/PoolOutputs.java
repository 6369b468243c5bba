package io.alvlm.pool;

import io.alvlm.avro.AnnotationRequest;
import io.alvlm.avro.QueryRound;
import io.alvlm.avro.TrainingEvent;
import org.apache.avro.specific.SpecificRecord;

/** Where the pool task's parts send what they produce: the processor forwards each to its sink, a test collects them. */
interface PoolOutputs {
  /** A labelled example or a completed round, for the trainer. */
  void training(String key, TrainingEvent event, long now);

  /** A request for annotation. */
  void request(String id, AnnotationRequest request, long now);

  /** What the pool tells the workbench (paused rounds, annotator agreement). */
  void notice(io.alvlm.avro.PoolNotice notice, long now);

  /** A round's record. */
  void round(QueryRound round, long now);

  /** {@code value} (the record being processed) to the dead-letter topic, with why it was refused. */
  void refuse(String id, SpecificRecord value, String reason, String message);
}
