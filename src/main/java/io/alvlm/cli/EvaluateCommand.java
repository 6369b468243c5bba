package io.alvlm.cli;

import io.alvlm.clip.ClipModel;
import io.alvlm.coop.CoopConfig;
import io.alvlm.coop.WarmStart;
import io.alvlm.coop.ZeroShot;
import io.alvlm.data.Npy;
import io.alvlm.eval.Benchmark;
import io.alvlm.selection.Budget;
import io.alvlm.selection.Strategies;
import io.alvlm.eval.CoopLearner;
import io.alvlm.eval.CosineClassifier;
import io.alvlm.eval.DatasetSpec;
import io.alvlm.eval.EvaluationRun;
import io.alvlm.eval.FeatureCache;
import io.alvlm.eval.ImageDataset;
import io.alvlm.eval.DuplicateInjection;
import io.alvlm.eval.ImageFile;
import io.alvlm.eval.LabelReport;
import io.alvlm.eval.LearningCurves;
import io.alvlm.eval.ResultsTable;
import io.alvlm.eval.SummaryReport;
import io.alvlm.eval.WarmStartReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code alvlm evaluate}: the paper's active-learning protocol replayed offline on a dataset or on precomputed features. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Replay active learning offline and write results, a summary and learning curves.",
        "Same strategies and CoOp code as the service, no broker; writes results.csv, results.json,",
        "summary.md and curves.png. A run into a folder with finished rounds continues after them.",
        "Images: --model DIR --dataset KIND:PATH. Precomputed features: --features --labels --text "
            + "--test-features --test-labels (learner: a cosine classifier initialised at the text features)."})
final class EvaluateCommand implements Callable<Integer> {
  @ArgGroup(exclusive = true, multiplicity = "1")
  Input input;

  static final class Input {
    @ArgGroup(exclusive = false) Images images;
    @ArgGroup(exclusive = false) Precomputed features;
  }

  static final class Images {
    @Option(names = "--model", required = true, description = "Hugging Face CLIP or SigLIP directory.") Path model;
    @Option(names = "--dataset", required = true, description = "coop:DIR (split_zhou_*.json + images), aircraft:DIR "
        + "(FGVC-Aircraft), folder:DIR (class/image tree), fashion-mnist[:DIR] (IDX files).") String dataset;
  }

  static final class Precomputed {
    @Option(names = "--features", required = true, description = "Pool image features .npy [n, dim].") Path features;
    @Option(names = "--labels", required = true, description = "Pool labels, integer .npy [n].") Path labels;
    @Option(names = "--text", required = true, description = "Class text features .npy [classes, dim].") Path text;
    @Option(names = "--test-features", required = true, description = "Test image features .npy [m, dim].") Path testFeatures;
    @Option(names = "--test-labels", required = true, description = "Test labels, integer .npy [m].") Path testLabels;
    @Option(names = "--classes", description = "Class names, one per line (default: class0, class1, ...).") Path classes;
    @Option(names = "--logit-scale", defaultValue = "100", description = "exp(logit_scale) of the model that made the "
        + "features: 100 for OpenAI CLIP, SigLIP's own (encode-text prints it; SigLIP's bias cancels) (default: ${DEFAULT-VALUE}).") float logitScale;
  }

  @Option(names = "--strategies", split = ",", defaultValue = "cec,random,entropy,coreset,badge",
      description = {"Strategies, comma-separated.", "", "Default: ${DEFAULT-VALUE}."})
  List<String> strategies;

  @Option(names = "--strategy-param", paramLabel = "NAME.KEY=VALUE", description = {"A strategy parameter, repeatable, e.g. cec.k=20 or",
      "cec.lambda=0.5 (default: the strategies' own defaults)."})
  Map<String, String> strategyParams = new LinkedHashMap<>();

  @Option(names = "--rounds", defaultValue = "6", description = "Query rounds (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--budget", defaultValue = "1%", description = "Labels per round: a count (30), a pool fraction "
      + "(1%%) or per class (2/class) (default: ${DEFAULT-VALUE}).")
  String budget;

  @Option(names = "--seeds", split = ",", defaultValue = "1,2,3", description = "Seeds (default: ${DEFAULT-VALUE}).")
  List<Long> seeds;

  @Option(names = "--out", required = true, description = "Results folder (continued when it holds finished rounds).")
  Path out;

  @Option(names = "--epochs", description = "Training epochs per round (default: CoOp's 200).")
  Integer epochs;

  @Option(names = "--batch-size", description = "Images per SGD step (default: CoOp's 32).")
  Integer batchSize;

  @Option(names = "--views", defaultValue = "0", description = "Augmented views per labelled image for CoOp, "
      + "embedded once and cached (default: ${DEFAULT-VALUE}, plain features).")
  int views;

  @Option(names = "--warm-start", description = "Also replay every strategy warm-started (rows STRATEGY+warm, same "
      + "seeds): each round starts from the previous round's context with --warm-start-epochs; warm-start.md compares "
      + "accuracy and training seconds with from-zero.")
  boolean warmStart;

  @Option(names = "--warm-start-epochs", defaultValue = "10", description = "Epochs of a warm-started round "
      + "(default: ${DEFAULT-VALUE}, as train.warm-start.epochs).")
  int warmStartEpochs;

  @Mixin
  EvaluateLabelOptions labels = new EvaluateLabelOptions();

  @Option(names = "--cache", description = "Feature cache folder (default: $XDG_CACHE_HOME or ~/.cache, /alvlm/features).")
  Path cache;

  @Option(names = "--split-seed", defaultValue = "0", description = "folder: datasets: seed of the pool/test split (default: ${DEFAULT-VALUE}).")
  long splitSeed;

  @Option(names = "--test-fraction", defaultValue = "0.2", description = "folder: datasets: share of each class for test (default: ${DEFAULT-VALUE}).")
  double testFraction;

  @Option(names = "--pool-size", description = "Use only the first N pool images, for quick runs (default: all).")
  Integer poolSize;

  @Option(names = "--test-size", description = "Use only the first N test images, for quick runs (default: all).")
  Integer testSize;

  @Override
  public Integer call() throws Exception {
    Budget b = Check.parsed("--budget", budget, Budget::parse);
    Check.atLeast("--rounds", rounds, 1);
    if (epochs != null) Check.atLeast("--epochs", epochs, 1);
    if (batchSize != null) Check.atLeast("--batch-size", batchSize, 1);
    if (poolSize != null) Check.atLeast("--pool-size", poolSize, 1);
    if (testSize != null) Check.atLeast("--test-size", testSize, 1);
    Check.atLeast("--views", views, 0);
    Check.atLeast("--warm-start-epochs", warmStartEpochs, 1);
    Check.within("--test-fraction", testFraction, 0.01, 0.99);
    if (seeds.isEmpty()) throw UsageError.of("--seeds", "''", "want one or more seeds, e.g. 1,2,3");
    for (String name : strategies) Check.parsed("--strategies", name.strip(), Strategies::checkName);
    CoopConfig d = CoopConfig.defaults();
    CoopConfig cfg = d.withEpochs(epochs != null ? epochs : d.epochs())
        .withBatchSize(batchSize != null ? batchSize : d.batchSize()).withViewsPerImage(views);
    Map<String, Object> fixed = new LinkedHashMap<>();
    fixed.put("epochs", cfg.epochs());
    fixed.put("batch_size", cfg.batchSize());
    if (warmStart) fixed.put("warm_start_epochs", warmStartEpochs);
    ResultsTable table;
    List<String> arms;
    String title;
    Optional<String> paper;
    Map<String, Object> settings;
    if (input.images != null) {
      ImageDataset ds = DatasetSpec.open(input.images.dataset, testFraction, splitSeed);
      try (ClipModel clip = ClipModel.load(input.images.model);
          FeatureCache fc = FeatureCache.open(cacheDir(), clip, input.images.model)) {
        List<ImageFile> poolImages = first(ds.train().images(), poolSize);
        checkFits(b, poolImages.size(), ds.classNames().size());
        List<ImageFile> testImages = first(ds.test().images(), testSize);
        float[][] pool = embed(fc, poolImages, "pool");
        float[][] test = embed(fc, testImages, "test");
        System.err.printf("evaluate: features of %s: %d embedded, %d from the cache (%s)%n", ds.name(), fc.embedded(),
            fc.hits(), fc.file());
        Benchmark plainBench = new Benchmark(ds.name(), ds.classNames(), pool,
            Arrays.copyOf(ds.train().labels(), pool.length), test, Arrays.copyOf(ds.test().labels(), test.length),
            ZeroShot.classFeatures(clip, ds.classNames(), ds.templates()), clip.logitScale(), ds.paperDataset());
        fixed.put("learner", "coop");
        fixed.put("model", FeatureCache.modelKey(clip, input.images.model));
        fixed.put("views", views);
        fixed.put("zero_shot_templates", ds.templates().size());
        // an image's near-copies are its augmented views (crops and flips), embedded once and cached
        DuplicateInjection injected = labels.inject(plainBench, (row, index) -> {
          try {
            return fc.views(List.of(poolImages.get(row)), labels.duplicateBurst)[0][index];
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }, fixed);
        Benchmark bench = injected.bench();
        CoopLearner learner = new CoopLearner(clip, cfg, ds.classNames(), bench.pool(), rows -> {
          List<ImageFile> picked = new ArrayList<>();
          for (int r : rows) picked.add(poolImages.get(injected.family(r)));
          return fc.views(picked, views);
        });
        EvaluationRun run = new EvaluationRun(injected, learner, plan(b, fixed), out, System.err);
        table = run.run();
        arms = run.arms();
        settings = run.settingsForReport();
        title = ds.name() + ", " + clip.modelId();
        paper = ds.paperDataset();
      }
    } else {
      Benchmark plainBench = precomputed(input.features);
      checkFits(b, plainBench.pool().length, plainBench.classes());
      fixed.put("learner", "cosine");
      fixed.put("logit_scale", input.features.logitScale);
      DuplicateInjection injected = labels.injectNoisy(plainBench, fixed);
      Benchmark bench = injected.bench();
      CosineClassifier learner = new CosineClassifier(bench.pool(), bench.zeroShot(), bench.logitScale(), cfg);
      EvaluationRun run = new EvaluationRun(injected, learner, plan(b, fixed), out, System.err);
      table = run.run();
      arms = run.arms();
      settings = run.settingsForReport();
      title = bench.name() + ", cosine classifier on precomputed features";
      paper = Optional.empty();
    }
    SummaryReport.write(out, title, arms, b, table.rows(), paper, settings);
    LearningCurves.write(out, title, arms, table.rows());
    LabelReport.write(out, title, arms, settings);
    if (warmStart) {
      System.err.print(WarmStartReport.write(out, title, warmStartEpochs, table.rows()));
    }
    System.err.printf("evaluate: wrote %s, %s, %s, %s, %s in %s%n", ResultsTable.CSV, ResultsTable.JSON,
        SummaryReport.FILE, LearningCurves.FILE, LabelReport.FILE, out);
    return 0;
  }

  /** The rounds' labels fit in the pool: a budget that would run out of images is refused before any work. */
  private void checkFits(Budget b, int pool, int classes) {
    long wanted = (long) b.images(pool, classes) * rounds;
    if (wanted > pool) {
      throw UsageError.of("--budget", budget, rounds + " rounds of " + b.images(pool, classes) + " images ask for " + wanted
          + " labels, but the pool holds " + pool + " images: lower --budget or --rounds");
    }
  }

  private EvaluationRun.Plan plan(Budget b, Map<String, Object> fixed) {
    Map<String, Map<String, String>> params = new LinkedHashMap<>();
    strategyParams.forEach((key, value) -> {
      int dot = key.lastIndexOf('.');
      if (dot <= 0) {
        throw new IllegalArgumentException("--strategy-param " + key + "=" + value + ": write NAME.KEY=VALUE, e.g. cec.k=20");
      }
      params.computeIfAbsent(key.substring(0, dot), k -> new LinkedHashMap<>()).put(key.substring(dot + 1), value);
    });
    List<String> names = strategies.stream().map(String::strip).toList();
    for (String n : params.keySet()) {
      if (!names.contains(n)) {
        throw new IllegalArgumentException("--strategy-param for '" + n + "', which is not in --strategies " + names);
      }
    }
    return new EvaluationRun.Plan(names, params, rounds, b, seeds, fixed,
        warmStart ? new WarmStart(true, warmStartEpochs) : WarmStart.OFF, labels.settings());
  }

  private static float[][] embed(FeatureCache fc, List<ImageFile> images, String what) throws IOException {
    int step = Math.max(1, images.size() / 10);
    return fc.features(images, done -> {
      if (done % step == 0 || done == images.size()) {
        System.err.printf("evaluate: %s features %d/%d%n", what, done, images.size());
      }
    });
  }

  private Path cacheDir() {
    if (cache != null) return cache;
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("alvlm").resolve("features");
  }

  private static <T> List<T> first(List<T> l, Integer n) {
    return n == null || n >= l.size() ? l : l.subList(0, n);
  }

  private Benchmark precomputed(Precomputed p) throws IOException {
    float[][] pool = matrix(p.features);
    float[][] text = matrix(p.text);
    float[][] test = matrix(p.testFeatures);
    int[] poolLabels = labels(p.labels, pool.length, text.length);
    int[] testLabels = labels(p.testLabels, test.length, text.length);
    List<String> names = new ArrayList<>();
    if (p.classes != null) {
      Files.readAllLines(p.classes).stream().map(String::strip).filter(s -> !s.isEmpty()).forEach(names::add);
    } else {
      for (int k = 0; k < text.length; k++) names.add("class" + k);
    }
    pool = first(Arrays.asList(pool), poolSize).toArray(new float[0][]);
    test = first(Arrays.asList(test), testSize).toArray(new float[0][]);
    String name = p.features.getFileName().toString().replaceFirst("\\.npy$", "");
    return new Benchmark(name, names, pool, Arrays.copyOf(poolLabels, pool.length), test,
        Arrays.copyOf(testLabels, test.length), text, p.logitScale, Optional.empty());
  }

  private static float[][] matrix(Path f) throws IOException {
    Npy.FloatArray a = Npy.readFloats(f);
    if (a.shape().length != 2) throw new IOException(f + ": expected a [rows, dim] matrix, got " + Arrays.toString(a.shape()));
    float[][] m = new float[a.rows()][];
    for (int i = 0; i < m.length; i++) m[i] = Arrays.copyOfRange(a.data(), i * a.cols(), (i + 1) * a.cols());
    return m;
  }

  private static int[] labels(Path f, int rows, int classes) throws IOException {
    long[] l = Npy.readLongs(f).data();
    if (l.length != rows) throw new IOException(f + " holds " + l.length + " labels for " + rows + " feature rows");
    int[] out = new int[l.length];
    for (int i = 0; i < l.length; i++) {
      if (l[i] < 0 || l[i] >= classes) {
        throw new IOException(f + ": label " + l[i] + " at row " + i + " is not a class index in [0, " + classes + ")");
      }
      out[i] = (int) l[i];
    }
    return out;
  }
}
