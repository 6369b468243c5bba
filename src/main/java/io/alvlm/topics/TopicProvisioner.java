package io.alvlm.topics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Makes the cluster hold alvlm's topics as {@link TopicSpec}s say: creates missing ones when
 * creation is allowed ({@code topics.create=true}, the default), and checks that every topic
 * exists with the right partition count and cleanup policy. Problems are reported all at once.
 */
public final class TopicProvisioner {
  public static final String CREATE = "topics.create";
  private static final long TIMEOUT_S = 30;

  private final Admin admin;

  public TopicProvisioner(Admin admin) {
    this.admin = Objects.requireNonNull(admin, "admin");
  }

  /** Whether {@code topics.create} allows creating topics (default true). */
  public static boolean creationAllowed(Map<String, ?> config) {
    Object v = config.get(CREATE);
    return v == null || Boolean.parseBoolean(v.toString().trim());
  }

  /**
   * Creates what is missing (if {@code create}), then verifies all specs.
   *
   * @return names of the topics this call created
   * @throws TopicMismatchException when a topic is missing (and not created) or differs from its spec
   */
  public List<String> ensure(Collection<TopicSpec> specs, boolean create) {
    Set<String> existing = call(() -> admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS));
    List<String> created = new ArrayList<>();
    if (create) {
      List<NewTopic> missing = new ArrayList<>();
      for (TopicSpec s : specs) {
        if (!existing.contains(s.name())) {
          missing.add(new NewTopic(s.name(), java.util.Optional.of(s.partitions()), s.replicationFactor())
              .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, s.cleanupPolicy())));
        }
      }
      for (var e : admin.createTopics(missing).values().entrySet()) {
        try {
          e.getValue().get(TIMEOUT_S, TimeUnit.SECONDS);
          created.add(e.getKey());
        } catch (ExecutionException ex) {
          if (!(ex.getCause() instanceof TopicExistsException)) {
            throw new TopicMismatchException("cannot create topic " + e.getKey() + ": " + ex.getCause().getMessage(), ex);
          }
        } catch (InterruptedException | TimeoutException ex) {
          throw failure(ex);
        }
      }
    }
    awaitVisible(created);
    verify(specs);
    return created;
  }

  /**
   * Waits until topics just created show up in the cluster's metadata: a broker acknowledges a
   * creation before every metadata answer lists the topic, and verifying at once would report it missing.
   */
  private void awaitVisible(List<String> created) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
    while (!created.isEmpty()) {
      Set<String> names = call(() -> admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS));
      if (names.containsAll(created) || System.nanoTime() > end) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw failure(e);
      }
    }
  }

  /** Checks every spec against the cluster; throws listing every problem found. */
  public void verify(Collection<TopicSpec> specs) {
    Set<String> existing = call(() -> admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS));
    List<String> problems = new ArrayList<>();
    List<String> present = new ArrayList<>();
    for (TopicSpec s : specs) {
      if (existing.contains(s.name())) {
        present.add(s.name());
      } else {
        problems.add("topic " + s.name() + " does not exist (needs " + s.partitions() + " partition(s), cleanup.policy="
            + s.cleanupPolicy() + "); create it, or set " + CREATE + "=true to let alvlm create it");
      }
    }
    Map<String, TopicDescription> described =
        call(() -> admin.describeTopics(present).allTopicNames().get(TIMEOUT_S, TimeUnit.SECONDS));
    List<ConfigResource> resources = present.stream()
        .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
    Map<ConfigResource, Config> configs =
        call(() -> admin.describeConfigs(resources).all().get(TIMEOUT_S, TimeUnit.SECONDS));
    for (TopicSpec s : specs) {
      TopicDescription d = described.get(s.name());
      if (d == null) {
        continue;
      }
      if (d.partitions().size() != s.partitions()) {
        problems.add("topic " + s.name() + " has " + d.partitions().size() + " partition(s), alvlm needs "
            + s.partitions());
      }
      var policy = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, s.name()))
          .get(TopicConfig.CLEANUP_POLICY_CONFIG);
      String actual = policy == null ? "delete" : policy.value();
      if (!actual.contains(s.cleanupPolicy())) {
        problems.add("topic " + s.name() + " has cleanup.policy=" + actual + ", alvlm needs " + s.cleanupPolicy());
      }
    }
    if (!problems.isEmpty()) {
      throw new TopicMismatchException(String.join("; ", problems), null);
    }
  }

  private interface AdminCall<T> {
    T get() throws InterruptedException, ExecutionException, TimeoutException;
  }

  private static <T> T call(AdminCall<T> c) {
    try {
      return c.get();
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw failure(e);
    }
  }

  private static TopicMismatchException failure(Exception e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
    return new TopicMismatchException("cannot check topics on the cluster: " + cause, cause);
  }
}
