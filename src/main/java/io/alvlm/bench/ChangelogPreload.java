package io.alvlm.bench;

import io.alvlm.avro.PoolEntry;
import io.alvlm.config.ServiceConfig;
import io.alvlm.config.Settings;
import io.alvlm.pool.PoolMeta;
import io.alvlm.pool.PoolPreload;
import io.alvlm.pool.PoolStores;
import io.alvlm.serde.AvroSerdes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.Serdes;

/**
 * {@code bench pool --preload N}: the first N synthetic rows folded in bulk by the selection engine
 * ({@link PoolPreload}) and written to the pool's stores' changelog topics, as the pool's processor
 * would have written them had they arrived; the pool task then restores them, as after a takeover.
 */
final class ChangelogPreload {
  private ChangelogPreload() {}

  /** Writes rows {@code [0, n)} of {@code pool} to the changelogs of {@code config}'s pool; prints how long it took. */
  static void write(Map<String, Object> clients, ServiceConfig config, SyntheticPool pool, int n) throws Exception {
    String application = config.get(Settings.APPLICATION_ID);
    Map<String, String> topics = new HashMap<>();
    try (Admin admin = Admin.create(clients)) {
      List<NewTopic> created = PoolStores.preloaded().entrySet().stream().map(e -> {
        String topic = application + "-" + e.getKey() + "-changelog";
        topics.put(e.getKey(), topic);
        Map<String, String> settings = new HashMap<>(e.getValue());
        settings.put("cleanup.policy", "compact");
        return new NewTopic(topic, 1, (short) 1).configs(settings);
      }).toList();
      admin.createTopics(created).all().get();
    }
    Serializer<PoolEntry> entries = AvroSerdes.from(config.asMap()).value(PoolEntry.class).serializer();
    Map<String, Object> p = new HashMap<>(clients);
    p.put("linger.ms", 20);
    p.put("batch.size", 1 << 20);
    long t0 = System.nanoTime();
    PoolPreload.Folded folded;
    try (KafkaProducer<byte[], byte[]> out = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      String poolTopic = topics.get(PoolStores.POOL);
      String metaTopic = topics.get(PoolMeta.STORE);
      String listTopic = topics.get(PoolStores.NEIGHBORS);
      folded = PoolPreload.write(config, pool.dim(), n, pool::embedding, System.currentTimeMillis(), new PoolPreload.Stores() {
            @Override
            public void entry(String id, PoolEntry e) {
              out.send(new ProducerRecord<>(poolTopic, Serdes.String().serializer().serialize(poolTopic, id),
                  entries.serialize(poolTopic, e)));
            }

            @Override
            public void meta(String key, long value) {
              out.send(new ProducerRecord<>(metaTopic, Serdes.String().serializer().serialize(metaTopic, key),
                  Serdes.Long().serializer().serialize(metaTopic, value)));
            }

            @Override
            public void neighbors(int key, byte[] value) {
              out.send(new ProducerRecord<>(listTopic, Serdes.Integer().serializer().serialize(listTopic, key), value));
            }
          });
      out.flush();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("preload: %d rows folded by the engine in %.1f s (%.0f arrivals/s; neighbours %s) and written to the "
        + "pool's changelogs, %.1f s in all; load average %.2f%n", n, folded.seconds(), n / folded.seconds(), folded.search(),
        seconds, BenchDeadline.load());
  }
}
