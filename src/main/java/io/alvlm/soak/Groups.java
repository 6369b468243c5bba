package io.alvlm.soak;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * The consumer groups of the roles as the broker sees them: a group's lag (the read-committed end
 * offsets of the partitions it consumes less its committed offsets, summed) and whether it is stable
 * with its members. Every call is bounded: while the broker is away the answer is "unknown".
 */
final class Groups {
  private static final long WAIT_S = 5;
  private final Admin admin;

  Groups(Admin admin) {
    this.admin = admin;
  }

  /** The group's lag; empty when the broker does not answer or the group has committed nothing. */
  OptionalLong lag(String group) {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get(WAIT_S, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
      committed.forEach((tp, o) -> {
        if (o != null) ask.put(tp, OffsetSpec.latest());
      });
      if (ask.isEmpty()) {
        return OptionalLong.empty();
      }
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(ask,
          new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(WAIT_S, TimeUnit.SECONDS);
      long lag = 0;
      for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e : ends.entrySet()) {
        lag += Math.max(0, e.getValue().offset() - committed.get(e.getKey()).offset());
      }
      return OptionalLong.of(lag);
    } catch (Exception e) {
      return OptionalLong.empty();
    }
  }

  /** Whether {@code group} is STABLE with exactly {@code members} members. */
  boolean stable(String group, int members) {
    try {
      ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
          .get(WAIT_S, TimeUnit.SECONDS);
      return d.groupState() == GroupState.STABLE && d.members().size() == members;
    } catch (Exception e) {
      return false;
    }
  }
}
