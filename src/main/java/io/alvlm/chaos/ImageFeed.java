package io.alvlm.chaos;

import io.alvlm.avro.ImageEvent;
import io.alvlm.data.IdxDataset;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The images of a chaos run: Fashion-MNIST PNGs with ids {@code img-<i>}, and, among them at seeded
 * places, about one in thirty corrupt records that the service must dead-letter exactly once
 * (truncated or bit-flipped PNGs, garbage bytes, a PNG declaring 100000×100000 pixels, bytes that
 * are no Avro record at all). Sent in waves so that embedding goes on through the whole run, or at a
 * set rate (a soak). Beyond the dataset's size the pictures repeat under new ids.
 */
public final class ImageFeed {
  /** What an item is; everything but {@code GOOD} must land in the dead-letter topic. */
  enum Kind { GOOD, TRUNCATED, CORRUPTED, GARBAGE, BOMB, MALFORMED_AVRO }

  /** One record to send. */
  record Item(String id, Kind kind, int index) {}

  private final List<Item> items;
  private final IdxDataset data;

  private ImageFeed(List<Item> items, IdxDataset data) {
    this.items = items;
    this.data = data;
  }

  public static ImageFeed plan(IdxDataset data, int n, long seed) {
    int corrupt = n / 30;
    Random r = new Random(seed);
    List<Integer> slots = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      slots.add(i);
    }
    Collections.shuffle(slots, r);
    Set<Integer> bad = new java.util.HashSet<>(slots.subList(0, corrupt));
    Kind[] kinds = {Kind.TRUNCATED, Kind.CORRUPTED, Kind.GARBAGE, Kind.BOMB, Kind.MALFORMED_AVRO};
    List<Item> items = new ArrayList<>(n);
    int good = 0;
    int k = 0;
    for (int i = 0; i < n; i++) {
      if (bad.contains(i)) {
        Kind kind = kinds[k++ % kinds.length];
        items.add(new Item("bad-" + i + "-" + kind.name().toLowerCase(java.util.Locale.ROOT), kind, r.nextInt(data.size())));
      } else {
        items.add(new Item("img-" + good, Kind.GOOD, good % data.size()));
        good++;
      }
    }
    return new ImageFeed(items, data);
  }

  List<Item> items() {
    return items;
  }

  /** The first {@code n} items (those a soak got to send). */
  public ImageFeed first(int n) {
    return new ImageFeed(items.subList(0, Math.min(n, items.size())), data);
  }

  public int size() {
    return items.size();
  }

  public Set<String> ids(boolean good) {
    Set<String> s = new LinkedHashSet<>();
    items.stream().filter(i -> (i.kind() == Kind.GOOD) == good).forEach(i -> s.add(i.id()));
    return s;
  }

  /** The true class index of a good image id ({@code img-<i>}). */
  public int label(String id) {
    return data.label(Integer.parseInt(id.substring(4)) % data.size());
  }

  /**
   * Sends every item in waves of about a fifth, the next wave once fewer than half a wave is still
   * waiting to be embedded or refused ({@code handled}), until all are sent or the thread is interrupted.
   */
  void send(Map<String, Object> clientConfig, String topic, Serializer<ImageEvent> serializer, IntSupplier handled)
      throws InterruptedException {
    Map<String, Object> p = new java.util.HashMap<>(clientConfig);
    p.put("enable.idempotence", true);
    p.put("acks", "all");
    int wave = Math.max(1, (items.size() + 4) / 5);
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      for (int from = 0; from < items.size(); from += wave) {
        while (from - handled.getAsInt() > wave / 2) {
          Thread.sleep(100);
        }
        for (Item it : items.subList(from, Math.min(items.size(), from + wave))) {
          producer.send(new ProducerRecord<>(topic, it.id(), value(it, topic, serializer)));
        }
        producer.flush();
      }
    }
  }

  /**
   * Sends the items in order at {@code perSecond} records a second, paced against the clock from the
   * first send (a stall, such as a broker restart, is caught up), until all are sent or {@code stop}
   * holds; returns how many were sent, each acknowledged (retried for as long as the broker is away).
   */
  public int sendAtRate(Map<String, Object> clientConfig, String topic, Serializer<ImageEvent> serializer, double perSecond,
      java.util.function.BooleanSupplier stop) throws InterruptedException {
    Map<String, Object> p = new java.util.HashMap<>(clientConfig);
    p.put("enable.idempotence", true);
    p.put("acks", "all");
    p.put("delivery.timeout.ms", 900_000);
    p.put("max.block.ms", 900_000);
    long start = System.nanoTime();
    int sent = 0;
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      while (sent < items.size() && !stop.getAsBoolean()) {
        long due = (long) ((System.nanoTime() - start) / 1e9 * perSecond) + 1;
        if (sent >= due) {
          Thread.sleep(Math.max(1, (long) (1000 / perSecond)));
          continue;
        }
        for (; sent < Math.min(due, items.size()); sent++) {
          Item it = items.get(sent);
          producer.send(new ProducerRecord<>(topic, it.id(), value(it, topic, serializer)));
        }
      }
      producer.flush();
    }
    return sent;
  }

  /** Bit flips that the service's decoder refuses (a flip may leave a PNG readable, so try seeds). */
  private static byte[] undecodable(byte[] png, long seed) {
    io.alvlm.clip.ImageDecoder decoder = new io.alvlm.clip.ImageDecoder(40_000_000);
    for (long s = seed; s < seed + 100; s++) {
      byte[] b = HostileImages.corrupted(png, s);
      try {
        decoder.decode(b);
      } catch (io.alvlm.clip.ImageRejectedException e) {
        return b;
      }
    }
    return HostileImages.truncated(png);
  }

  private byte[] value(Item it, String topic, Serializer<ImageEvent> serializer) {
    if (it.kind() == Kind.MALFORMED_AVRO) {
      return HostileImages.garbage(it.index(), 64);
    }
    byte[] png = data.png(it.index());
    byte[] bytes = switch (it.kind()) {
      case GOOD -> png;
      case TRUNCATED -> HostileImages.truncated(png);
      case CORRUPTED -> undecodable(png, it.index());
      case GARBAGE -> HostileImages.garbage(it.index(), 300);
      case BOMB -> HostileImages.declaredBomb(100_000, 100_000);
      case MALFORMED_AVRO -> throw new IllegalStateException("handled above");
    };
    ImageEvent e = ImageEvent.newBuilder().setId(it.id()).setBytes(ByteBuffer.wrap(bytes)).setTimestamp(Instant.now()).build();
    return serializer.serialize(topic, e);
  }
}
