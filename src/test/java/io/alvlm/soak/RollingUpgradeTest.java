package io.alvlm.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.serde.SerdeConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RollingUpgradeTest {
  private static String metrics(long readOld, long readNew, long written) {
    return "# HELP alvlm_serde_records_total Records written and read\n"
        + "# TYPE alvlm_serde_records_total counter\n"
        + "alvlm_serde_records_total{direction=\"read\",record=\"Label\",schema_version=\"2\"} " + readOld + ".0\n"
        + "alvlm_serde_records_total{direction=\"read\",record=\"Label\",schema_version=\"3\"} " + readNew + ".0\n"
        + "alvlm_serde_records_total{direction=\"written\",record=\"Label\",schema_version=\"3\"} " + written + ".0\n"
        + "alvlm_serde_records_total{direction=\"read\",record=\"ImageEmbedding\",schema_version=\"1\"} 900.0\n"
        + "jvm_threads_live_threads 40.0\n";
  }

  @Test
  void theOldBuildIsTheRolesSettingsPinnedToThePreviousLabel() {
    assertEquals(3, RollingUpgrade.NEW);
    assertEquals(Map.of("role", "pool", SerdeConfig.LABEL_SCHEMA_VERSION, "2"), RollingUpgrade.pinned(Map.of("role", "pool")));
    assertEquals("workbench", RollingUpgrade.ORDER.get(RollingUpgrade.ORDER.size() - 1), "the writer of the new field goes last");
  }

  @Test
  void countsAreSummedOverEveryInstanceOfARoleAtItsLastScrape() {
    LabelVersionCounts c = new LabelVersionCounts();
    c.scraped("pool", 10, metrics(5, 0, 0));
    c.scraped("pool", 10, metrics(7, 0, 0)); // the same instance later: its latest value counts
    c.scraped("pool", 11, metrics(2, 9, 0)); // restarted on the new build
    c.scraped("embedder-1", 12, metrics(0, 0, 0));
    assertEquals(9, c.count("pool", "read", 2));
    assertEquals(9, c.count("pool", "read", 3));
    assertEquals(0, c.count("pool", "written", 2));
    assertEquals(0, c.count("embedder", "read", 2));
  }

  @Test
  void passesWhenThePoolReadBothVersionsAndTheWorkbenchWroteBoth() {
    LabelVersionCounts c = new LabelVersionCounts();
    c.scraped("pool", 1, metrics(120, 95, 0));
    c.scraped("workbench", 2, metrics(0, 0, 0).replace("direction=\"read\",record=\"Label\",schema_version=\"2\"} 0",
        "direction=\"written\",record=\"Label\",schema_version=\"2\"} 130"));
    c.scraped("workbench", 3, metrics(0, 0, 97));
    RollingUpgrade.Outcome o = RollingUpgrade.outcome(true, 5, List.of(), new long[] {100, 0}, c, 97, 0);
    assertEquals(List.of(), o.problems());
    assertEquals("soak: upgrade: 5/5 roles restarted on Label v3; labels read v2 120 v3 95 by the pool (the only role with a Label "
        + "source; its old build v2 100 v3 0, its new one v2 20 v3 95); written v2 130 v3 97 by the workbench, 97 with a note; "
        + "dead letters 0 beyond the corrupt inputs", o.line());
  }

  @Test
  void failsWhenAVersionWentUnreadOrARoleDidNotComeBackOrLabelsWereDeadLettered() {
    LabelVersionCounts c = new LabelVersionCounts();
    c.scraped("pool", 1, metrics(120, 0, 0));
    c.scraped("workbench", 3, metrics(0, 0, 97));
    List<String> p = RollingUpgrade.outcome(true, 4, List.of("upgrade: trainer not healthy"), new long[2], c, 0, 2).problems();
    assertEquals(5, p.size(), p.toString());
    assertTrue(p.get(0).contains("trainer") && p.get(1).contains("the pool read 120 Label v2 and 0 v3")
        && p.get(2).contains("the workbench wrote 0 Label v2 and 97 v3") && p.get(3).contains("note")
        && p.get(4).contains("2 dead letters"), p.toString());
    assertTrue(RollingUpgrade.outcome(false, 0, List.of(), new long[2], c, 0, 0).problems().get(0).contains("never played"));
  }
}
