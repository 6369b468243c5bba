package io.alvlm.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class FaultTest {
  @Test
  void aShortRunGetsKillsABrokerRestartAndAFrozenProcessFirst() {
    List<Fault> plan = Fault.plan(Fault.count(3));
    assertEquals(List.of("SIGKILL embedder-1", "broker restart", "SIGKILL pool", "SIGSTOP embedder-2"),
        plan.stream().map(Fault::label).toList());
  }

  @Test
  void aHalfHourRunGetsEveryKindAndEveryRoleKilled() {
    List<Fault> plan = Fault.plan(Fault.count(30));
    assertEquals(12, plan.size());
    Set<Fault.Kind> kinds = EnumSet.noneOf(Fault.Kind.class);
    Set<String> killed = new TreeSet<>();
    plan.forEach(f -> {
      kinds.add(f.kind());
      if (f.kind() == Fault.Kind.KILL) killed.add(f.target());
    });
    assertEquals(EnumSet.allOf(Fault.Kind.class), kinds);
    assertEquals(Set.of("embedder-1", "embedder-2", "pool", "trainer", "workbench"), killed);
  }

  @Test
  void theRegistryOutageIsScaledDownForShortRuns() {
    assertEquals(90, new FaultPlayer(null, null, 30, System.out).registryOutage().toSeconds());
    assertEquals(90, new FaultPlayer(null, null, 60, System.out).registryOutage().toSeconds());
    assertEquals(30, new FaultPlayer(null, null, 10, System.out).registryOutage().toSeconds());
    assertEquals(9, new FaultPlayer(null, null, 3, System.out).registryOutage().toSeconds());
  }
}
