package io.alvlm.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import io.alvlm.chaos.Invariants;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jfree.data.xy.XYSeries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** progress.csv as the soak writes it, read back by the plots; the Prometheus targets of a soak's processes. */
class SoakObservationTest {
  @Test
  void progressRowsAreReadByThePlotsAsIngestRateAndRoundTimes(@TempDir Path dir) throws Exception {
    Path file = dir.resolve(SoakPlots.PROGRESS);
    try (ProgressCsv csv = new ProgressCsv(file)) {
      csv.row(10.04, 0, 0, Double.NaN);
      csv.row(20.0, 50, 1, 0.25);
      csv.row(30.0, 150, 1, 0.25);
      csv.row(40.0, 160, 3, 1.5);
    }
    assertEquals("""
        time_s,images_embedded,rounds,last_round_s
        10.0,0,0,
        20.0,50,1,0.250
        30.0,150,1,0.250
        40.0,160,3,1.500
        """, Files.readString(file));

    SoakCsv read = SoakCsv.read(file, SoakPlots.PROGRESS_HEADER);
    XYSeries ingest = SoakPlots.ingest(read).getSeries(0);
    assertEquals(3, ingest.getItemCount());
    assertEquals(5.0, ingest.getY(0).doubleValue(), 1e-9);
    assertEquals(10.0, ingest.getY(1).doubleValue(), 1e-9);
    assertEquals(1.0, ingest.getY(2).doubleValue(), 1e-9);
    XYSeries rounds = SoakPlots.rounds(read).getSeries(0);
    assertEquals(2, rounds.getItemCount(), "a round time where the count rose, none before the first round");
    assertEquals(20.0 / 60, rounds.getX(0).doubleValue(), 1e-9);
    assertEquals(1.5, rounds.getY(1).doubleValue(), 1e-9);
  }

  @Test
  void progressWithTheSamplesDrawsEveryPlot(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve(SoakPlots.SAMPLES), SoakPlots.SAMPLES_HEADER + "\n10.0,pool,7,200.0,50.0,80,40,3\n"
        + "20.0,pool,7,201.0,50.0,80,40,0\n");
    try (ProgressCsv csv = new ProgressCsv(dir.resolve(SoakPlots.PROGRESS))) {
      csv.row(10.0, 10, 1, 0.5);
      csv.row(20.0, 60, 2, 0.75);
    }
    List<Path> pngs = SoakPlots.write(dir, dir.resolve("plots"));
    assertEquals(4, pngs.size());
    for (Path png : pngs) {
      assertTrue(Files.size(png) > 0, png + " is empty");
    }
  }

  @Test
  void scrapesEveryRoleWithMetricsUnderItsNameAndNoServerWithout() {
    Path jar = Path.of("alvlm.jar");
    List<SoakProcess> processes = List.of(
        new SoakProcess("broker", jar, List.of(), List.of(), Path.of("broker.log"), () -> true, null, null, 0),
        new SoakProcess("pool", jar, List.of(), List.of(), Path.of("pool.log"), () -> true,
            URI.create("http://127.0.0.1:41001/metrics"), "alvlm-pool", 1),
        new SoakProcess("embedder-1", jar, List.of(), List.of(), Path.of("e.log"), () -> true,
            URI.create("http://127.0.0.1:41002/metrics"), "alvlm-embedder", 2));
    Map<String, String> targets = SoakObservation.targets(processes);
    assertEquals(Map.of("pool", "127.0.0.1:41001", "embedder-1", "127.0.0.1:41002"), targets);
    String yml = PrometheusProcess.config(targets, SoakObservation.SCRAPE);
    assertTrue(yml.contains("- targets: [\"127.0.0.1:41001\"]\n        labels: {role: pool}"), yml);
  }

  @Test
  void aDashboardPanelWithoutDataFailsTheRunWithoutChangingTheLastLine() {
    Invariants clean = Invariants.check(Set.of("img-0"), Set.of(),
        new Invariants.Observed(List.of("img-0"), List.of(), List.of(), List.of(), List.of()));
    SoakVerdict ok = new SoakVerdict(3.0, 10, 4, 4, clean, 0, 0, 0, 0, true, 0, List.of());
    String noData = "dashboard: panel \"Rounds\" A: `sum(alvlm_rounds_total)` returned no data";
    SoakVerdict failed = new SoakVerdict(3.0, 10, 4, 4, clean, 0, 0, 0, 0, true, 0, List.of(noData));
    assertTrue(ok.ok(), ok.problems().toString());
    assertFalse(failed.ok());
    assertEquals(List.of(noData), failed.problems());
    assertEquals(ok.line(), failed.line());
  }
}
