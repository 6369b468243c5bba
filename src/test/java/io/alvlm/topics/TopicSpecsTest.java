package io.alvlm.topics;

import static org.junit.jupiter.api.Assertions.assertTrue;
import io.alvlm.config.ServiceConfig;
import io.alvlm.config.Settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.alvlm.serde.AvroSerdes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TopicSpecsTest {
  @Test
  void onlyImagesScaleOutAndOnlyModelsAndNoticesAreCompacted() {
    List<TopicSpec> specs = TopicSpecs.from(ServiceConfig.defaults());
    assertEquals(List.of("alvlm.images", "alvlm.embeddings", "alvlm.queries", "alvlm.labels", "alvlm.models",
        "alvlm.rounds", "alvlm.dlq", "alvlm.training", "alvlm.control", "alvlm.notices"), specs.stream().map(TopicSpec::name).toList());
    assertEquals(List.of(3, 1, 1, 1, 1, 1, 1, 1, 1, 1), specs.stream().map(TopicSpec::partitions).toList());
    assertEquals(List.of("alvlm.models", "alvlm.notices"), specs.stream().filter(TopicSpec::compacted).map(TopicSpec::name).toList());
    specs.forEach(s -> assertEquals(Optional.empty(), s.replicationFactor()));
  }

  @Test
  void readsPartitionsAndReplicationFromConfig() {
    List<TopicSpec> specs = TopicSpecs.from(ServiceConfig.of(Map.of(Settings.IMAGES_PARTITIONS.key(), "12",
        Settings.REPLICATION_FACTOR.key(), "3")));
    assertEquals(12, specs.get(0).partitions());
    specs.forEach(s -> assertEquals(Optional.of((short) 3), s.replicationFactor()));
    assertThrows(IllegalArgumentException.class, () -> TopicSpecs.of(0, Optional.empty()));
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> ServiceConfig.of(Map.of(Settings.REPLICATION_FACTOR.key(), "three")));
    assertTrue(bad.getMessage().contains("topics.replication.factor=three"), bad.getMessage());
  }

  @Test
  void topicsMatchTheirSpecsByName() {
    Topics topics = new Topics(AvroSerdes.singleObject());
    assertEquals(TopicSpecs.from(ServiceConfig.defaults()).stream().map(TopicSpec::name).toList(),
        topics.all().stream().map(Topic::name).toList());
  }

  @Test
  void provisioningIsOnUnlessTurnedOff() {
    assertEquals(true, TopicProvisioner.creationAllowed(Map.of()));
    assertEquals(false, TopicProvisioner.creationAllowed(Map.of(TopicProvisioner.CREATE, "false")));
  }
}
