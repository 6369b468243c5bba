package io.alvlm.config;

import io.alvlm.clip.ExifOrientation;
import io.alvlm.clip.Precision;
import io.alvlm.coop.CoopConfig;
import io.alvlm.coop.ZeroShot;
import io.alvlm.review.LabelAudit;
import io.alvlm.review.Rechecks;
import io.alvlm.selection.ColdStart;
import io.alvlm.selection.Compute;
import io.alvlm.selection.FeaturePrecision;
import io.alvlm.selection.NearCopies;
import io.alvlm.selection.NeighborSearch;
import io.alvlm.selection.Budget;
import io.alvlm.selection.PoolThreads;
import io.alvlm.serde.RegistryRetry;
import io.alvlm.serde.SerdeConfig;
import io.alvlm.serde.SubjectNameStrategy;
import io.alvlm.serde.WireFormat;
import io.alvlm.stopping.StoppingRule;
import java.util.List;
import java.util.Optional;

/** Every setting the service reads, with its default and meaning ({@code alvlm run --list-settings}). */
public final class Settings {
  private Settings() {}

  public static final Setting<String> APPLICATION_ID = Setting.text("application.id", "alvlm",
      "Kafka Streams application id: consumer group, internal topic and state prefix.");
  public static final Setting<String> BOOTSTRAP_SERVERS = Setting.text("bootstrap.servers", "localhost:9092",
      "Kafka brokers.");
  public static final Setting<String> STATE_DIR = Setting.text("state.dir", System.getProperty("user.home") + "/.alvlm/state",
      "Directory for local state stores (restored from changelogs when lost).");
  public static final Setting<Role> ROLE = Setting.choice("role", Role.ALL,
      "Which sub-topologies this instance runs: all, embedder, pool or trainer.", Role.class);
  public static final Setting<String> MODEL_DIR = Setting.text("model.dir", "models/clip-tiny",
      "Local Hugging Face CLIP or SigLIP directory (config.json, model.safetensors or shards with their index, "
          + "tokenizer.json, optional preprocessor_config.json).");
  public static final Setting<Precision> MODEL_DTYPE = Setting.choice("model.dtype", Precision.FP32,
      "Type the embedder's image tower computes in: fp32, or fp16 (for a GPU; on a CPU it runs, within 1e-2 of fp32, "
          + "but slower). bf16 is refused: DJL's PyTorch engine aborts the JVM on bf16 arrays. Features leave as fp32.",
      Precision.class);
  public static final Setting<String> MODEL_NAME = Setting.text("model.name", "default",
      "Name of the prompt model (key on alvlm.models).");
  public static final Setting<String> CLASSES = Setting.text("classes", "",
      "Class names, comma-separated (or use classes.file).");
  public static final Setting<String> CLASSES_FILE = Setting.text("classes.file", "",
      "File with one class name per line.");
  public static final Setting<String> PROMPT_TEMPLATE = Setting.text("prompt.template", ZeroShot.DEFAULT_TEMPLATE,
      "Zero-shot prompt template; {} is the class name.");
  public static final Setting<Boolean> TOPICS_CREATE = Setting.flag("topics.create", true,
      "Create missing topics at start (else only check they exist and match).");
  public static final Setting<Integer> IMAGES_PARTITIONS = Setting.integer("topics.images.partitions", 3,
      "Partitions of alvlm.images when created (the embedder scales out to this many instances).");
  public static final Setting<Optional<Short>> REPLICATION_FACTOR = new Setting<>("topics.replication.factor", "",
      "Replication factor of created topics (empty: the broker's default.replication.factor).",
      v -> v.isBlank() ? Optional.empty() : Optional.of(Short.parseShort(v.trim())));
  public static final Setting<WireFormat> SERDE_FORMAT = Setting.choice(SerdeConfig.FORMAT, WireFormat.SINGLE_OBJECT,
      "Wire format: single-object (Avro single-object encoding, no registry) or confluent (schema registry).",
      WireFormat.class);
  public static final Setting<Integer> EMBED_BATCH = Setting.integer("embed.batch.size", 32,
      "Most images per image-tower call; fewer while a call would take over a quarter of the transaction timeout "
          + "(alvlm_embed_batch_limit).");
  public static final Setting<Long> EMBED_MAX_WAIT_MS = Setting.longValue("embed.max.wait.ms", 1000,
      "Longest an image waits for its batch to fill before the batch runs anyway.");
  public static final Setting<Integer> EMBED_DECODE_THREADS = Setting.integer("embed.decode.threads", 0,
      "Threads that fetch, decode and preprocess the next batch while the image tower runs (0: one per processor).");
  public static final Setting<Long> IMAGE_MAX_PIXELS = Setting.longValue("image.max.pixels", 40_000_000L,
      "Images with more pixels are refused before decoding (decompression bombs).");
  public static final Setting<ExifOrientation.Mode> IMAGE_EXIF_ORIENTATION = Setting.choice("image.exif.orientation",
      ExifOrientation.Mode.APPLY,
      "apply: turn images as their EXIF orientation says, as Hugging Face's load_image does; ignore: pixels as stored.",
      ExifOrientation.Mode.class);
  public static final Setting<Integer> IMAGE_MAX_BYTES = Setting.integer("image.max.bytes", 20_000_000,
      "Largest encoded image accepted, inline or fetched.");
  public static final Setting<String> FETCH_ROOTS = Setting.text("fetch.allowed.roots", "",
      "Comma-separated directories that file: uris may point into (empty: no file: uris).");
  public static final Setting<String> FETCH_HOSTS = Setting.text("fetch.allowed.hosts", "",
      "Comma-separated hosts (host or host:port) that http(s): uris may point to (empty: none).");
  public static final Setting<Long> FETCH_TIMEOUT_MS = Setting.longValue("fetch.timeout.ms", 10_000,
      "Connect + read time limit for fetching an image uri.");
  public static final Setting<String> QUERY_STRATEGY = new Setting<>("query.strategy", "cec",
      "Selection strategy: cec, random, entropy, margin, least-confidence, coreset, badge, pcb:<strategy>.",
      io.alvlm.selection.Strategies::checkName);
  public static final Setting<Budget> QUERY_BUDGET = new Setting<>("query.budget", "20",
      "Images per round: a count (20), a share of the whole pool (1%), or per class (2/class); the grammar of evaluate's --budget.",
      Budget::parse);
  public static final Setting<Long> QUERY_INTERVAL_MS = Setting.longValue("query.interval.ms", 300_000,
      "A round opens at least this often (wall clock) when there are eligible images.");
  public static final Setting<Integer> QUERY_MIN_NEW = Setting.integer("query.min-new", 500,
      "A round opens once this many images arrived since the last one.");
  public static final Setting<Integer> QUERY_OPEN_BELOW = new Setting<>("query.open-below", "0",
      "Rounds paced by the annotators when above 0: after the first round, a round opens as soon as fewer than this many "
          + "requests are open, and none opens (whatever else is due) while this many or more are; 0: off.",
      s -> {
        int n = Integer.parseInt(s.trim());
        if (n < 0) throw new IllegalArgumentException("want 0 (off) or a number of open requests");
        return n;
      });
  public static final Setting<Long> QUERY_DEADLINE_MS = Setting.longValue("query.deadline.ms", 3_600_000,
      "A request not answered within this returns its image to UNLABELED.");
  public static final Setting<Long> QUERY_APPLY_READ_MS = Setting.longValue("query.apply.read-ms", 250,
      "Time a pool step spends reading a finished round's picks from the pool store before the round is applied (all of "
          + "them read once first, so the one transaction that applies it reads from warm caches; at least one a step).");
  public static final Setting<Long> QUERY_TICK_MS = Setting.longValue("query.tick.ms", 1000,
      "How often the pool checks its round triggers and deadlines.");
  public static final Setting<Long> QUERY_SEED = Setting.longValue("query.seed", 0,
      "Seed of the selection strategy (the round number is added).");
  public static final Setting<Optional<Double>> QUERY_DEDUP_COSINE = new Setting<>("query.dedup.cosine", "0.97",
      "A round never asks for two images at or above this cosine similarity, nor for a near-copy of a labelled or pending "
          + "image (any strategy); off: no suppression.",
      s -> s.strip().equalsIgnoreCase("off") ? Optional.empty() : Optional.of(NearCopies.checked(Double.parseDouble(s))));
  public static final Setting<Boolean> QUERY_DEDUP_PROPAGATE = Setting.flag("query.dedup.propagate", true,
      "Near-copies (query.dedup.cosine) of an answered image take its class as a pseudo-label: out of the unlabelled "
          + "pool, shown in /images/{id}, following corrections, not trained on; none while query.dedup.cosine=off.");
  public static final Setting<Double> QUERY_RECHECK_SHARE = new Setting<>("query.recheck.share", "0.2",
      "Share of each round's budget that may re-ask suspect labels (the label audit's, most suspect first); 0: no rechecks.",
      s -> Rechecks.checkedShare(Double.parseDouble(s)));
  public static final Setting<Double> QUERY_RECHECK_MODEL_WEIGHT = new Setting<>("query.recheck.model-weight", "0.25",
      "Label audit: weight of the model's probabilities against the labelled neighbours' vote, in [0, 1].",
      s -> LabelAudit.checkedWeight(Double.parseDouble(s)));
  public static final Setting<StoppingRule.Mode> QUERY_STOP = Setting.choice("query.stop", StoppingRule.Mode.NEVER,
      "Stopping rule: never, or stable (rounds pause once consecutive models agree on the stop set and stopped settling).",
      StoppingRule.Mode.class);
  public static final Setting<Double> QUERY_STOP_KAPPA = Setting.decimal("query.stop.kappa", 0.94,
      "Stopping rule: Cohen's kappa of consecutive models' stop-set predictions that counts as agreement.");
  public static final Setting<Integer> QUERY_STOP_ROUNDS = Setting.integer("query.stop.rounds", 3,
      "Stopping rule: models in a row whose kappa must reach query.stop.kappa.");
  public static final Setting<Double> QUERY_STOP_SETTLE = Setting.decimal("query.stop.settle", 0.0005,
      "Stopping rule: the forecast fall of changed stop-set predictions from this round to the next must be at most this.");
  public static final Setting<Integer> QUERY_STOP_SET_SIZE = Setting.integer("query.stop.set-size", 1000,
      "Stopping rule: unlabelled images in the seeded stop set (drawn once, at the first model the pool sees).");
  public static final Setting<ColdStart> QUERY_COLD_START = Setting.choice("query.cold-start", ColdStart.NONE,
      "While nothing is labelled: none (the strategy), typical (dense, representative images) or class-guided (typical, "
          + "balanced over the classes by zero-shot assignment).", ColdStart.class);
  public static final Setting<Compute.Target> COMPUTE_DEVICE = Setting.choice("compute.device", Compute.Target.AUTO,
      "Where the pool's products, kNN and k-means run: auto (the GPU when DJL sees one), cpu or gpu.", Compute.Target.class);
  public static final Setting<Boolean> COMPUTE_HALF = Setting.flag("compute.half", false,
      "fp16 products on a GPU (candidates re-ranked in double on the host); ignored on a CPU.");
  public static final Setting<Integer> POOL_FOLD_BATCH = Setting.integer("pool.fold.batch", 4096,
      "Most arrivals folded into the neighbour lists by one job of the fold worker (one product of the batch against the pool).");
  public static final Setting<PoolThreads> POOL_THREADS = new Setting<>("pool.threads", "auto",
      "Threads the pool task splits its work over: each fold job's scan of the neighbour lists (one part per thread) and "
          + "a round's blocked host loops; auto: the processors the JVM may use. The products themselves also use the "
          + "engine's own threads.", PoolThreads::parse);
  public static final Setting<Long> POOL_FOLD_WORK = Setting.longValue("pool.fold.max-work", 100_000_000_000L,
      "Multiply-adds one fold job may take (batch x pool x dim; with approximate neighbours batch x probed rows x dim): bounds how long a job holds the lists, which rounds wait for.");
  public static final Setting<FeaturePrecision> POOL_FEATURES_PRECISION = Setting.choice("pool.features.precision",
      FeaturePrecision.AUTO,
      "How the pool holds each image's features: fp32, fp16 (half the memory; each value rounded to the nearest half, "
          + "converted back a block at a time for the products), or auto: fp32 while the neighbour lists are exact, fp16 from "
          + "when the pool starts training its cells (cec.neighbors=auto or approximate).", FeaturePrecision.class);
  public static final Setting<Long> STATE_ROCKSDB_MEMORY = Setting.longValue("state.rocksdb.memory.bytes", 128L << 20,
      "Native memory of all RocksDB stores of the process together: one shared block cache (index and filter blocks "
          + "included) that their memtables are charged to, at most half of it.");
  public static final Setting<Integer> CEC_TOP_N = Setting.integer("cec.top-n", 10, "CEC: samples per class in the prior.");
  public static final Setting<Integer> CEC_K = Setting.integer("cec.k", 10, "CEC: neighbours per image.");
  public static final Setting<NeighborSearch.Mode> CEC_NEIGHBORS = Setting.choice("cec.neighbors", NeighborSearch.Mode.AUTO,
      "How neighbours are found: exact (every image, the paper's reading), approximate (inverted lists over k-means cells "
          + "once the pool can train them) or auto (exact until it costs more than cec.neighbors.auto.max-work per image).",
      NeighborSearch.Mode.class);
  public static final Setting<Integer> CEC_NEIGHBORS_CELLS = Setting.integer("cec.neighbors.cells", 1024,
      "Approximate neighbours: k-means cells of the inverted lists (trained on 64 images per cell, needs 39 per cell).");
  public static final Setting<Double> CEC_NEIGHBORS_CELLS_PER_SQRT = Setting.decimal("cec.neighbors.cells.per-sqrt", 0,
      "Approximate neighbours: cells that grow with the pool, about this many times the square root of its unlabelled images "
          + "(4 is the usual IVF choice); re-split off the stream thread whenever that reaches twice the cells held, nprobe "
          + "scaled by the square root of the growth. 0: a fixed cec.neighbors.cells.");
  public static final Setting<Integer> CEC_NEIGHBORS_NPROBE = Setting.integer("cec.neighbors.nprobe", 24,
      "Approximate neighbours: cells searched per image.");
  public static final Setting<Long> CEC_NEIGHBORS_AUTO_WORK = Setting.longValue("cec.neighbors.auto.max-work", 51_200_000L,
      "auto: switch to approximate neighbours when exact maintenance costs more multiply-adds per image than this (pool x dim).");
  public static final Setting<Integer> CEC_KMEANS_INITS = Setting.integer("cec.kmeans.inits", 3,
      "CEC: k-means seedings per round, the best kept (each costs a full clustering).");
  public static final Setting<Integer> CEC_KMEANS_SAMPLED_INITS = Setting.integer("cec.kmeans.sampled-inits", 1,
      "CEC: k-means seedings per round when k-means trains on a sample (see max-rows-per-centre), as FAISS and scikit-learn's "
          + "n_init=auto (each costs a full clustering of the sample; docs/benchmarks.md).");
  public static final Setting<Integer> CEC_KMEANS_MAX_ROWS = Setting.integer("cec.kmeans.max-rows-per-centre", 256,
      "CEC: k-means trains on a uniform sample of budget x this many unlabelled images when the pool holds more (FAISS's "
          + "max_points_per_centroid; 0: always all); each pick is still the nearest image of the whole pool to its centre.");
  public static final Setting<Double> CEC_LAMBDA = Setting.decimal("cec.lambda", 1.0, "CEC: weight of the neighbour entropy.");
  public static final Setting<Integer> TRAIN_MIN_NEW = Setting.integer("train.min-new-labels", 20,
      "Retrain once this many new labels arrived (also when a round is fully answered).");
  public static final Setting<Integer> TRAIN_EPOCHS = Setting.integer("train.epochs", 50,
      "CoOp epochs per retraining. The offline train and evaluate commands default to the paper's 200; the service "
          + "retrains at every batch of new labels and keeps each retraining short with 50, so its models are not those "
          + "of evaluate: set 200 to match them.");
  public static final Setting<Integer> TRAIN_BATCH = Setting.integer("train.batch.size", 32, "CoOp batch size.");
  public static final Setting<Double> TRAIN_LR = Setting.decimal("train.lr", 0.002, "CoOp learning rate.");
  public static final Setting<String> TRAIN_CTX_INIT = Setting.text("train.ctx-init", CoopConfig.PAPER_CTX_INIT,
      "Words whose embeddings initialise the context.");
  public static final Setting<Boolean> TRAIN_CSC = Setting.flag("train.csc", false,
      "Class-specific context (CoOp's CSC): one context per class instead of one shared.");
  public static final Setting<Double> TRAIN_HOLDOUT = Setting.decimal("train.holdout", 0.2,
      "Share of labels held out (by a hash of the image id) to gate new models.");
  public static final Setting<TrainGate> TRAIN_GATE = Setting.choice("train.gate", TrainGate.NOT_WORSE,
      "Publish a retrained model: not-worse (held-out accuracy >= current - train.gate.tolerance) or always.",
      TrainGate.class);
  public static final Setting<Double> TRAIN_GATE_TOLERANCE = Setting.decimal("train.gate.tolerance", 0.0,
      "Accuracy drop allowed by the not-worse gate.");
  public static final Setting<Long> TRAIN_MAX_SECONDS = Setting.longValue("train.max.seconds", 3600,
      "A retraining still running after this long is cancelled (and retried like a failed one).");
  public static final Setting<Long> TRAIN_RETRY_MS = Setting.longValue("train.retry.ms", 30_000,
      "Wait before retrying a failed retraining; doubles with each failure in a row (at most an hour).");
  public static final Setting<Boolean> TRAIN_WARM_START = Setting.flag("train.warm-start", false,
      "Start a retraining from the current model's context with train.warm-start.epochs (off: from zero, the paper's protocol).");
  public static final Setting<Integer> TRAIN_WARM_EPOCHS = Setting.integer("train.warm-start.epochs", 10,
      "CoOp epochs of a warm-started retraining.");
  public static final Setting<Long> TRAIN_SEED = Setting.longValue("train.seed", 0, "CoOp seed.");
  public static final Setting<String> HTTP_BIND = Setting.text("http.bind", "0.0.0.0", "Address the HTTP endpoints bind to.");
  public static final Setting<Integer> HTTP_PORT = Setting.port("http.port", 8080, true,
      "Port of /metrics, /health/*, /pool, /images/{id}, /rounds, /model (0: any free port; -1: off).");

  public static final Setting<Integer> SERDE_LABEL_SCHEMA_VERSION = Setting.integer(SerdeConfig.LABEL_SCHEMA_VERSION, 0,
      "Write and read Label records with this earlier schema version (schemas/history/Label/vN.avsc), as a build of that "
          + "version would: the old build of a rolling upgrade (serde.format=confluent; 0: this build's schema).");

  // schema.registry.*: the registry client of serde.format=confluent (io.alvlm.serde.SerdeConfig reads them)
  public static final Setting<String> REGISTRY_URL = Setting.text(SerdeConfig.REGISTRY_URL, "",
      "Schema registry base URL (serde.format=confluent; a comma-separated list: the first is used).");
  public static final Setting<String> REGISTRY_BASIC_AUTH = Setting.text(SerdeConfig.BASIC_AUTH_USER_INFO, "",
      "user:password for the registry's HTTP basic auth (never logged).");
  public static final Setting<String> REGISTRY_BEARER_TOKEN = Setting.text(SerdeConfig.BEARER_TOKEN, "",
      "Token for the registry's Authorization: Bearer (never logged; not with basic auth).");
  public static final Setting<Boolean> REGISTRY_AUTO_REGISTER = Setting.flag(SerdeConfig.AUTO_REGISTER, true,
      "Register a schema the registry lacks (after its compatibility check) instead of failing.");
  public static final Setting<Long> REGISTRY_TIMEOUT_MS = Setting.longValue(SerdeConfig.TIMEOUT_MS, 10_000,
      "Time limit of one registry HTTP attempt (connect and response).");
  public static final Setting<Long> REGISTRY_RETRY_BACKOFF_MS = Setting.longValue(RegistryRetry.BACKOFF_MS, 100,
      "Bound of the first wait before retrying a registry call that may pass (jittered, doubling).");
  public static final Setting<Long> REGISTRY_RETRY_BACKOFF_MAX_MS = Setting.longValue(RegistryRetry.BACKOFF_MAX_MS, 5_000,
      "Largest bound of a wait between registry retries.");
  public static final Setting<Long> REGISTRY_RETRY_DEADLINE_MS = Setting.longValue(RegistryRetry.DEADLINE_MS, 60_000,
      "How long one registry call may keep retrying.");
  public static final Setting<SubjectNameStrategy> REGISTRY_SUBJECT_STRATEGY = new Setting<>(SubjectNameStrategy.KEY,
      SubjectNameStrategy.TOPIC.configValue(), "How a topic and record type map to a registry subject (or Confluent's class names).",
      SubjectNameStrategy::parse, java.util.Arrays.stream(SubjectNameStrategy.values()).map(SubjectNameStrategy::configValue).toList());
  public static final Setting<String> REGISTRY_TRUSTSTORE = Setting.text("schema.registry.ssl.truststore.location", "",
      "Trust store for an https registry (empty: the JVM's).");
  public static final Setting<String> REGISTRY_TRUSTSTORE_PASSWORD = Setting.text("schema.registry.ssl.truststore.password", "",
      "Password of the trust store (never logged).");
  public static final Setting<String> REGISTRY_TRUSTSTORE_TYPE = Setting.text("schema.registry.ssl.truststore.type", "PKCS12",
      "Type of the trust store.");
  public static final Setting<String> REGISTRY_KEYSTORE = Setting.text("schema.registry.ssl.keystore.location", "",
      "Key store with the client certificate for mutual TLS (empty: none).");
  public static final Setting<String> REGISTRY_KEYSTORE_PASSWORD = Setting.text("schema.registry.ssl.keystore.password", "",
      "Password of the key store (never logged).");
  public static final Setting<String> REGISTRY_KEYSTORE_TYPE = Setting.text("schema.registry.ssl.keystore.type", "PKCS12",
      "Type of the key store.");
  public static final Setting<String> REGISTRY_KEY_PASSWORD = Setting.text("schema.registry.ssl.key.password", "",
      "Password of the client key (never logged).");

  public static final Setting<String> ANNOTATE_BIND = Setting.text("annotate.bind", "127.0.0.1",
      "Address the annotation workbench (alvlm annotate) binds to.");
  public static final Setting<Integer> ANNOTATE_PORT = Setting.port("annotate.port", 8081, false,
      "Port of the annotation workbench (0: any free port).");
  public static final Setting<String> ANNOTATE_TOKENS = Setting.text("annotate.tokens", "",
      "Annotators and their login tokens: name=token,name=token (never logged; at least 16 characters each).");
  public static final Setting<Integer> ANNOTATE_VOTES = Setting.integer("annotate.votes", 1,
      "Independent answers per request; the label is their majority and disagreement is recorded.");
  public static final Setting<Long> ANNOTATE_LEASE_MS = Setting.longValue("annotate.lease.ms", 120_000,
      "A request shown to an annotator and not answered within this goes back to the queue.");
  public static final Setting<Long> ANNOTATE_SESSION_MS = Setting.longValue("annotate.session.ms", 43_200_000,
      "Workbench sessions end this long after login.");
  public static final Setting<Long> ANNOTATE_LOGIN_BACKOFF_MS = Setting.longValue("annotate.login.backoff.ms", 30_000,
      "Ten failed workbench logins from one address within a minute make it wait this long (429), doubling with each "
          + "further block up to an hour; counted in alvlm_workbench_login_failures_total.");
  public static final Setting<String> ANNOTATE_GROUP = Setting.text("annotate.group", "alvlm-workbench",
      "Consumer group of the workbench on alvlm.queries (instances in one group share its partitions).");

  public static List<Setting<?>> all() {
    return List.of(APPLICATION_ID, BOOTSTRAP_SERVERS, STATE_DIR, ROLE, MODEL_DIR, MODEL_DTYPE, MODEL_NAME, CLASSES, CLASSES_FILE,
        PROMPT_TEMPLATE, TOPICS_CREATE, IMAGES_PARTITIONS, REPLICATION_FACTOR, SERDE_FORMAT, SERDE_LABEL_SCHEMA_VERSION, EMBED_BATCH, EMBED_MAX_WAIT_MS, EMBED_DECODE_THREADS,
        IMAGE_MAX_PIXELS, IMAGE_EXIF_ORIENTATION, IMAGE_MAX_BYTES, FETCH_ROOTS, FETCH_HOSTS, FETCH_TIMEOUT_MS, QUERY_STRATEGY, QUERY_BUDGET,
        QUERY_INTERVAL_MS, QUERY_MIN_NEW, QUERY_OPEN_BELOW, QUERY_DEADLINE_MS, QUERY_TICK_MS, QUERY_APPLY_READ_MS, QUERY_SEED, QUERY_DEDUP_COSINE, QUERY_DEDUP_PROPAGATE, QUERY_RECHECK_SHARE,
        QUERY_RECHECK_MODEL_WEIGHT, QUERY_STOP, QUERY_STOP_KAPPA, QUERY_STOP_ROUNDS, QUERY_STOP_SETTLE, QUERY_STOP_SET_SIZE,
        QUERY_COLD_START, COMPUTE_DEVICE, COMPUTE_HALF, POOL_FOLD_BATCH, POOL_THREADS, POOL_FOLD_WORK, POOL_FEATURES_PRECISION, STATE_ROCKSDB_MEMORY, CEC_TOP_N, CEC_K, CEC_NEIGHBORS, CEC_NEIGHBORS_CELLS, CEC_NEIGHBORS_CELLS_PER_SQRT, CEC_NEIGHBORS_NPROBE, CEC_NEIGHBORS_AUTO_WORK, CEC_KMEANS_INITS, CEC_KMEANS_SAMPLED_INITS, CEC_KMEANS_MAX_ROWS, CEC_LAMBDA,
        TRAIN_MIN_NEW, TRAIN_EPOCHS, TRAIN_BATCH, TRAIN_LR, TRAIN_CTX_INIT, TRAIN_CSC, TRAIN_HOLDOUT, TRAIN_GATE,
        TRAIN_GATE_TOLERANCE, TRAIN_MAX_SECONDS, TRAIN_RETRY_MS, TRAIN_WARM_START, TRAIN_WARM_EPOCHS, TRAIN_SEED, HTTP_BIND,
        HTTP_PORT, ANNOTATE_BIND, ANNOTATE_PORT, ANNOTATE_TOKENS, ANNOTATE_VOTES, ANNOTATE_LEASE_MS, ANNOTATE_SESSION_MS,
        ANNOTATE_LOGIN_BACKOFF_MS, ANNOTATE_GROUP, REGISTRY_URL, REGISTRY_BASIC_AUTH, REGISTRY_BEARER_TOKEN, REGISTRY_AUTO_REGISTER, REGISTRY_TIMEOUT_MS,
        REGISTRY_RETRY_BACKOFF_MS, REGISTRY_RETRY_BACKOFF_MAX_MS, REGISTRY_RETRY_DEADLINE_MS, REGISTRY_SUBJECT_STRATEGY,
        REGISTRY_TRUSTSTORE, REGISTRY_TRUSTSTORE_PASSWORD, REGISTRY_TRUSTSTORE_TYPE, REGISTRY_KEYSTORE, REGISTRY_KEYSTORE_PASSWORD,
        REGISTRY_KEYSTORE_TYPE, REGISTRY_KEY_PASSWORD);
  }
}
