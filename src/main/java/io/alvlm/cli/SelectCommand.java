package io.alvlm.cli;

import io.alvlm.bench.HeapPeak;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.alvlm.data.Npy;
import io.alvlm.selection.ColdStart;
import io.alvlm.selection.Pick;
import io.alvlm.selection.PoolStatus;
import io.alvlm.selection.PoolView;
import io.alvlm.selection.Selection;
import io.alvlm.selection.Strategies;
import io.alvlm.selection.Strategy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code alvlm select}: runs one selection strategy over float32 {@code .npy} features and class text
 * (both L2-normalised here) and writes the chosen rows with the strategy's scores as JSON.
 */
@Command(name = "select", mixinStandardHelpOptions = true,
    description = "Select images to label with CEC or a baseline; writes JSON (selected rows, per-row scores, prior, timings).")
final class SelectCommand implements Callable<Integer> {
  @Option(names = "--features", required = true, description = "image features, float32 .npy [N, D]") Path features;
  @Option(names = "--text", required = true, description = "class text features, float32 .npy [C, D]") Path text;
  @Option(names = "--strategy", defaultValue = "cec", description = "cec, random, entropy, margin, least-confidence, coreset, badge, pcb:<name> (default ${DEFAULT-VALUE})") String strategy;
  @Option(names = "--budget", required = true, description = "Images to select: 1 up to the rows that are neither labelled nor pending.") int budget;
  @Option(names = "--top-n", description = "CEC: rows per class for the prior (default 10)") Integer topN;
  @Option(names = "--k", description = "CEC: neighbours (default 10)") Integer k;
  @Option(names = "--lambda", description = "CEC: weight of neighbour entropy (default 1.0)") Double lambda;
  @Option(names = "--inits", description = "CEC: k-means inits (default 3)") Integer inits;
  @Option(names = "--iterations", description = "CEC: max Lloyd steps per init (default 100)") Integer iterations;
  @Option(names = "--tolerance", description = "CEC: k-means tolerance (default 1e-4)") Double tolerance;
  @Option(names = "--candidates", description = "PCB: proposals per budget slot (default 5)") Integer candidates;
  @Option(names = "--dedup-cosine", paramLabel = "C", description = "never select two rows at cosine >= C, nor a row at "
      + "cosine >= C to a --exclude or --pending row (query.dedup.cosine; default: off)") Double dedupCosine;
  @Option(names = "--cold-start", defaultValue = "none", description = "none, typical or class-guided: the strategy "
      + "used while no row is labelled (no --exclude rows) (default ${DEFAULT-VALUE})") String coldStart;
  @Option(names = "--scale", defaultValue = "100", description = "logit scale τ of the model: 100 for OpenAI CLIP, "
      + "SigLIP's own (encode-text prints it) (default ${DEFAULT-VALUE})") float scale;
  @Option(names = "--seed", defaultValue = "0", description = "seed (default ${DEFAULT-VALUE})") long seed;
  @Option(names = "--exclude", description = "File of labelled row ids, one per line, left out of the pool (default: none).") Path exclude;
  @Option(names = "--pending", description = "File of pending row ids, one per line, in the pool but not eligible (default: none).") Path pending;
  @Option(names = "--out", required = true, description = "output JSON") Path out;
  @Option(names = "--verbose", description = "Also print the peak heap against the size of the features.") boolean verbose;

  @Override
  public Integer call() throws IOException {
    return select();
  }

  private Integer select() throws IOException {
    HeapPeak.reset();
    Strategy base = Check.parsed("--strategy", strategy, name -> Strategies.create(name, params()));
    Check.atLeast("--budget", budget, 1);
    Check.positive("--scale", scale);
    Npy.FloatArray f = Npy.readFloats(features);
    Npy.FloatArray t = Npy.readFloats(text);
    if (f.cols() != t.cols()) {
      throw new IllegalArgumentException(features + " holds " + f.cols() + "-wide features but " + text + " holds "
          + t.cols() + "-wide class text features: both must come from the same model");
    }
    int rows = f.rows();
    PoolStatus[] status = new PoolStatus[rows];
    Arrays.fill(status, PoolStatus.UNLABELED);
    mark(status, pending, PoolStatus.PENDING);
    mark(status, exclude, PoolStatus.LABELED);
    long eligible = Arrays.stream(status).filter(x -> x == PoolStatus.UNLABELED).count();
    if (budget > eligible) {
      throw UsageError.of("--budget", budget, "the pool in " + features + " has " + eligible + " eligible rows (of "
          + rows + ", without the labelled and pending ones); want 1 to " + eligible);
    }
    int[] labels = new int[rows];
    Arrays.fill(labels, -1);
    // the pool is held once: normalised in place, not copied
    PoolView pool = PoolView.owning(f.data(), f.cols(), t.data(), scale, status, labels);
    Strategy s = ColdStart.parse(coldStart).strategyFor(pool, base);
    if (dedupCosine != null) {
      if (!(dedupCosine > 0 && dedupCosine <= 1)) {
        throw UsageError.of("--dedup-cosine", dedupCosine, "want a cosine similarity in (0, 1]");
      }
      s = Strategies.deduplicated(s, dedupCosine);
    }
    Selection sel = s.select(pool, budget, seed);

    Map<String, Object> json = new LinkedHashMap<>();
    json.put("strategy", s.name());
    sel.roundFacts().forEach(json::put);
    sel.rowScores().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> json.put(e.getKey(), e.getValue()));
    json.put("selected", sel.rows());
    if (!Double.isNaN(sel.objective())) {
      json.put(strategy.endsWith("cec") ? "weighted_inertia" : "objective", sel.objective());
    }
    json.put("pick_scores", sel.picks().stream().map(Pick::scores).toList());
    if (dedupCosine != null) json.put("duplicates", sel.duplicates());
    json.put("timings_ms", sel.timingsMs());
    double featureMiB = (double) rows * f.cols() * 4 / 1048576.0;
    double peakMiB = HeapPeak.bytes() / 1048576.0;
    json.put("peak_heap_mib", peakMiB);
    json.put("features_mib", featureMiB);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), json);
    System.out.printf("selected %d of %d rows with %s -> %s (%.0f ms)%n", sel.picks().size(), rows, s.name(), out,
        sel.timingsMs().getOrDefault("total", 0.0));
    if (verbose) {
      System.out.printf("peak heap %.0f MiB = %.2fx the %.0f MiB of features%n", peakMiB, peakMiB / featureMiB, featureMiB);
    }
    if (dedupCosine != null) System.out.printf("turned down %d near-copies at cosine >= %s%n", sel.duplicates().size(), dedupCosine);
    return 0;
  }

  private Map<String, String> params() {
    Map<String, String> p = new HashMap<>();
    put(p, "top-n", topN);
    put(p, "k", k);
    put(p, "lambda", lambda);
    put(p, "inits", inits);
    put(p, "iterations", iterations);
    put(p, "tolerance", tolerance);
    put(p, "candidates", candidates);
    return p;
  }

  private static void put(Map<String, String> p, String key, Object v) {
    if (v != null) p.put(key, v.toString());
  }

  private static void mark(PoolStatus[] status, Path ids, PoolStatus as) throws IOException {
    if (ids == null) return;
    List<String> lines = Files.readAllLines(ids);
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i).trim();
      if (l.isEmpty() || l.startsWith("#")) continue;
      int r;
      try {
        r = Integer.parseInt(l);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(ids + ":" + (i + 1) + ": '" + l + "' is not a row id", e);
      }
      if (r < 0 || r >= status.length) {
        throw new IllegalArgumentException(ids + ":" + (i + 1) + ": row " + r + " is outside [0, " + status.length + ")");
      }
      status[r] = as;
    }
  }
}
