package io.alvlm.pool;

import io.alvlm.avro.ImageEmbedding;
import io.alvlm.avro.PoolEntry;
import io.alvlm.avro.VectorPrecision;
import io.alvlm.config.ServiceConfig;
import io.alvlm.data.VectorBytes;
import io.alvlm.serde.AvroSerdes;
import io.alvlm.service.AlvlmService;
import io.alvlm.service.ServiceTopology;
import io.alvlm.stream.ServiceMetrics;
import io.alvlm.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The pool sub-topology of the service on TopologyTestDriver, every worker inline (a fold or a cell
 * training runs within the step that starts it), so the same inputs leave the same state.
 */
final class PoolDriver implements AutoCloseable {
  /** The driver's wall clock at the start: each arrival's {@code arrivedAt}. */
  static final Instant START = Instant.ofEpochMilli(1_000_000);
  private final TopologyTestDriver driver;
  private final TestInputTopic<String, ImageEmbedding> embeddings;
  private final int dim;

  PoolDriver(ServiceConfig c, int dim) {
    AvroSerdes serdes = AvroSerdes.singleObject();
    Topics topics = new Topics(serdes);
    ServiceMetrics metrics = new ServiceMetrics(new SimpleMeterRegistry());
    var topo = ServiceTopology.build(c, serdes, new ServiceTopology.Parts(null, PoolParts.from(c), null, metrics, Runnable::run));
    driver = new TopologyTestDriver(topo, AlvlmService.streamsConfig(c), START);
    embeddings = driver.createInputTopic(topics.embeddings.name(), Serdes.String().serializer(),
        topics.embeddings.valueSerde().serializer());
    this.dim = dim;
  }

  PoolDriver(ServiceConfig c) {
    this(c, PoolEngineTest.DIM);
  }

  /** Images {@code img<from>} to {@code img<to - 1>}, rows {@code [from, to)} of {@code x}, arrive in that order. */
  void arrive(float[] x, int from, int to) {
    for (int i = from; i < to; i++) {
      embeddings.pipeInput("img" + i, embedding("img" + i, Arrays.copyOfRange(x, i * dim, (i + 1) * dim), dim));
    }
  }

  static ImageEmbedding embedding(String id, float[] v, int dim) {
    return ImageEmbedding.newBuilder().setId(id).setModelId("fixture").setVector(VectorBytes.float32(v))
        .setPrecision(VectorPrecision.FLOAT32).setDim(dim).setImageTimestamp(Instant.EPOCH).setEmbeddedAt(Instant.EPOCH).build();
  }

  /** {@code n} punctuations, a second of wall clock apart. */
  void tick(int n) {
    for (int i = 0; i < n; i++) driver.advanceWallClockTime(Duration.ofSeconds(1));
  }

  KeyValueStore<Integer, byte[]> neighbors() {
    return driver.getKeyValueStore(NeighborStore.STORE);
  }

  KeyValueStore<String, PoolEntry> pool() {
    return driver.getKeyValueStore(PoolStores.POOL);
  }

  KeyValueStore<String, Long> meta() {
    return driver.getKeyValueStore(PoolMeta.STORE);
  }

  @Override
  public void close() {
    driver.close();
  }
}
