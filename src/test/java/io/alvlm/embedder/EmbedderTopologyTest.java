package io.alvlm.embedder;

import io.alvlm.config.ServiceConfig;
import io.alvlm.stream.ServiceMetrics;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.avro.DeadLetter;
import io.alvlm.avro.ImageEmbedding;
import io.alvlm.avro.ImageEvent;
import io.alvlm.clip.ClipModel;
import io.alvlm.data.Fixtures;
import io.alvlm.data.IdxDataset;
import io.alvlm.data.VectorBytes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedder sub-topology on TopologyTestDriver with the tiny CLIP and Fashion-MNIST PNGs. */
class EmbedderTopologyTest {
  private static ClipModel clip;
  private static IdxDataset images;
  @TempDir Path state;
  @TempDir Path files;
  private EmbedderDriver embedder;
  private TopologyTestDriver driver;
  private TestInputTopic<String, ImageEvent> in;
  private TestOutputTopic<String, ImageEmbedding> out;
  private TestOutputTopic<byte[], DeadLetter> dlq;
  private ClipImageTower tower;

  @BeforeAll
  static void load() throws IOException {
    clip = ClipModel.load(Fixtures.clipTinyModel());
    images = IdxDataset.read(Path.of("data/fashion-mnist"), "t10k");
  }

  @AfterAll
  static void unload() {
    clip.close();
  }

  @BeforeEach
  void start() {
    ServiceConfig c = ServiceConfig.of(Map.of("role", "embedder", "embed.batch.size", "4", "embed.max.wait.ms", "500",
        "state.dir", state.toString(), "fetch.allowed.roots", files.toString(), "image.max.pixels", "1000000"));
    ServiceMetrics metrics = new ServiceMetrics(new SimpleMeterRegistry());
    tower = new ClipImageTower(clip, ClipImageTower.decoder(c, metrics), false);
    embedder = new EmbedderDriver(c, tower, metrics);
    driver = embedder.driver;
    in = embedder.in;
    out = embedder.out;
    dlq = embedder.dlq;
  }

  @AfterEach
  void stop() {
    embedder.close();
  }

  private static ImageEvent inline(String id, byte[] bytes) {
    return ImageEvent.newBuilder().setId(id).setBytes(ByteBuffer.wrap(bytes)).setTimestamp(Instant.EPOCH).build();
  }

  private static ImageEvent byUri(String id, String uri) {
    return ImageEvent.newBuilder().setId(id).setUri(uri).setTimestamp(Instant.EPOCH).build();
  }

  @Test
  void aFullBatchRunsOnceTheNextIsDecodingAndMatchesTheBareImageTower() throws Exception {
    for (int i = 0; i < 8; i++) {
      in.pipeInput("img" + i, inline("img" + i, images.png(i)));
    }
    List<ImageEmbedding> got = out.readValuesToList();
    assertEquals(List.of("img0", "img1", "img2", "img3"), got.stream().map(ImageEmbedding::getId).toList(),
        "the first batch runs while the second decodes");
    float[] pixels = tower.preprocess("img2", images.png(2));
    float[] bare = clip.embedImages(List.of(pixels))[0];
    ImageEmbedding e = got.get(2);
    assertEquals("img2", e.getId());
    assertEquals(clip.modelId(), e.getModelId());
    float[] v = VectorBytes.decode(e.getVector(), e.getDim(), false);
    for (int j = 0; j < v.length; j++) {
      assertEquals(bare[j], v[j], 1e-4 * (1 + Math.abs(bare[j])), "feature " + j);
    }
    KeyValueStore<String, ImageEvent> buffer = driver.getKeyValueStore(EmbedProcessor.BUFFER_STORE);
    assertEquals(4, buffer.approximateNumEntries(), "embedded images leave the buffer, the next batch waits in it");
    driver.advanceWallClockTime(Duration.ofMillis(600));
    assertEquals(List.of("img4", "img5", "img6", "img7"), out.readValuesToList().stream().map(ImageEmbedding::getId).toList());
    assertEquals(0, buffer.approximateNumEntries());
  }

  @Test
  void aPartialBatchWaitsInTheBufferUntilMaxWait() {
    in.pipeInput("a", inline("a", images.png(0)));
    in.pipeInput("b", inline("b", images.png(1)));
    assertTrue(out.isEmpty());
    KeyValueStore<String, ImageEvent> buffer = driver.getKeyValueStore(EmbedProcessor.BUFFER_STORE);
    assertEquals(ImageEvent.class, buffer.get("a").getClass(), "waiting images are in the changelogged buffer");
    driver.advanceWallClockTime(Duration.ofMillis(200));
    assertTrue(out.isEmpty(), "not before embed.max.wait.ms");
    driver.advanceWallClockTime(Duration.ofMillis(400));
    assertEquals(List.of("a", "b"), out.readKeyValuesToList().stream().map(kv -> kv.key).toList());
  }

  @Test
  void badImagesGoToTheDeadLetterTopicAndTheStreamGoesOn() throws IOException {
    byte[] png = images.png(0);
    in.pipeInput("corrupt", inline("corrupt", Arrays.copyOf(png, png.length / 2)));
    in.pipeInput("garbage", inline("garbage", "not an image at all".getBytes()));
    Path outside = Files.createTempFile("outside", ".png");
    Files.write(outside, png);
    in.pipeInput("escape", byUri("escape", outside.toUri().toString()));
    in.pipeInput("http", byUri("http", "http://example.invalid/x.png"));
    in.pipeInput("both", ImageEvent.newBuilder().setId("both").setTimestamp(Instant.EPOCH).build());
    Path inside = files.resolve("ok.png");
    Files.write(inside, png);
    in.pipeInput("ok", byUri("ok", inside.toUri().toString()));
    driver.advanceWallClockTime(Duration.ofSeconds(1));
    List<DeadLetter> letters = dlq.readValuesToList();
    assertEquals(List.of("image-decode", "image-decode", "fetch-denied", "fetch-denied", "malformed-record"),
        letters.stream().map(DeadLetter::getReason).toList());
    letters.forEach(d -> assertEquals("embedder", d.getStage()));
    assertTrue(letters.get(2).getError().contains("outside fetch.allowed.roots"), letters.get(2).getError());
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L), letters.stream().map(DeadLetter::getOffset).toList(),
        "each letter names its own input record, though refused when its batch ran");
    List<ImageEmbedding> got = out.readValuesToList();
    assertEquals(1, got.size());
    assertEquals("ok", got.get(0).getId());
    assertEquals(inside.toUri().toString(), got.get(0).getUri(), "annotators get the uri to fetch the image");
    Files.deleteIfExists(outside);
  }

  @Test
  void refusesAnImageAboveTheMaxPixelsBeforeDecodingIt() throws IOException {
    java.awt.image.BufferedImage big = new java.awt.image.BufferedImage(2000, 1000, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(big, "png", bytes);
    in.pipeInput("bomb", inline("bomb", bytes.toByteArray()));
    driver.advanceWallClockTime(Duration.ofSeconds(1));
    DeadLetter d = dlq.readValue();
    assertEquals("too-large", d.getReason());
    assertTrue(d.getError().contains("2000"), d.getError());
    assertArrayEquals("bomb".getBytes(), d.getKey().array());
  }
}
