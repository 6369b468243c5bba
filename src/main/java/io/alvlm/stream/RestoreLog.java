package io.alvlm.stream;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says what a start costs in restoring: for each store partition read back from its changelog, how many
 * records and how long ({@code restored N records of store S (changelog partition P) in T s}). Kafka's own
 * restore lines are at INFO, below the level the service logs Kafka at. A clean restart reads only what
 * its checkpoints leave out; under exactly-once a restart after a crash, like a new or wiped state
 * directory, reads the whole changelog.
 */
public final class RestoreLog implements StateRestoreListener {
  private static final Logger LOG = LoggerFactory.getLogger(RestoreLog.class);
  private final Map<TopicPartition, Long> started = new ConcurrentHashMap<>();

  @Override
  public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
    started.put(partition, System.nanoTime());
    LOG.info("restoring store {} from changelog partition {}: offsets {} to {}", store, partition, startingOffset,
        endingOffset);
  }

  @Override
  public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
    // the end says it all
  }

  @Override
  public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
    Long t0 = started.remove(partition);
    double seconds = t0 == null ? 0 : (System.nanoTime() - t0) / 1e9;
    LOG.info("restored {} records of store {} (changelog partition {}) in {} s", totalRestored, store, partition,
        String.format(java.util.Locale.ROOT, "%.1f", seconds));
  }
}
