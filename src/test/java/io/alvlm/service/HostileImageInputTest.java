package io.alvlm.service;

import io.alvlm.config.ServiceConfig;
import io.alvlm.embedder.ClipImageTower;
import io.alvlm.stream.ServiceMetrics;
import io.alvlm.topics.Topics;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.alvlm.avro.DeadLetter;
import io.alvlm.avro.ImageEmbedding;
import io.alvlm.avro.ImageEvent;
import io.alvlm.chaos.HostileImages;
import io.alvlm.clip.ClipModel;
import io.alvlm.data.Fixtures;
import io.alvlm.data.IdxDataset;
import io.alvlm.serde.AvroSerdes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile records on {@code alvlm.images} through the real embedder topology (tiny CLIP): each lands
 * in the dead-letter topic with its reason, and the next good image is still embedded. Complements
 * {@code EmbedderTopologyTest#badImagesGoToTheDeadLetterTopicAndTheStreamGoesOn}.
 */
class HostileImageInputTest {
  private static final int MAX_BYTES = 100_000;
  private static ClipModel clip;
  private static IdxDataset images;
  @TempDir Path state;
  private TopologyTestDriver driver;
  private Topics topics;
  private TestInputTopic<String, ImageEvent> in;
  private TestInputTopic<String, byte[]> raw;
  private TestOutputTopic<String, ImageEmbedding> out;
  private TestOutputTopic<byte[], DeadLetter> dlq;
  private HttpServer http;
  private ServiceMetrics metrics;

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
  void start() throws IOException {
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext("/redirect", ex -> {
      ex.getResponseHeaders().add("Location", "http://attacker.invalid/steal.png");
      ex.sendResponseHeaders(302, -1);
      ex.close();
    });
    http.createContext("/self", ex -> {
      ex.getResponseHeaders().add("Location", "/redirect");
      ex.sendResponseHeaders(301, -1);
      ex.close();
    });
    http.start();
    String allowed = "127.0.0.1:" + http.getAddress().getPort();
    ServiceConfig c = ServiceConfig.of(Map.of("role", "embedder", "embed.batch.size", "1", "state.dir", state.toString(),
        "image.max.bytes", Integer.toString(MAX_BYTES), "fetch.allowed.hosts", allowed, "fetch.timeout.ms", "5000"));
    AvroSerdes serdes = AvroSerdes.singleObject();
    topics = new Topics(serdes);
    metrics = new ServiceMetrics(new SimpleMeterRegistry());
    var topo = ServiceTopology.build(c, serdes, new ServiceTopology.Parts(new ClipImageTower(clip, ClipImageTower.decoder(c, metrics),
        false), null, null, metrics));
    driver = new TopologyTestDriver(topo, HostileInput.driverConfig(c), Instant.ofEpochMilli(1_000_000));
    in = driver.createInputTopic(topics.images.name(), Serdes.String().serializer(), topics.images.valueSerde().serializer());
    raw = driver.createInputTopic(topics.images.name(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
    out = driver.createOutputTopic(topics.embeddings.name(), Serdes.String().deserializer(), topics.embeddings.valueSerde().deserializer());
    dlq = driver.createOutputTopic(topics.dlq.name(), Serdes.ByteArray().deserializer(), topics.dlq.valueSerde().deserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
    http.stop(0);
  }

  private static ImageEvent inline(String id, byte[] bytes) {
    return ImageEvent.newBuilder().setId(id).setBytes(ByteBuffer.wrap(bytes)).setTimestamp(Instant.EPOCH).build();
  }

  private static ImageEvent byUri(String id, String uri) {
    return ImageEvent.newBuilder().setId(id).setUri(uri).setTimestamp(Instant.EPOCH).build();
  }

  /** A GIF of {@code frames} 32×32 frames, each a different grey. */
  private static byte[] animatedGif(int frames) throws IOException {
    javax.imageio.ImageWriter w = javax.imageio.ImageIO.getImageWritersByFormatName("gif").next();
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (var out = javax.imageio.ImageIO.createImageOutputStream(bytes)) {
      w.setOutput(out);
      w.prepareWriteSequence(null);
      for (int f = 0; f < frames; f++) {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(32, 32, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 32; y++) for (int x = 0; x < 32; x++) img.getRaster().setSample(x, y, 0, 60 * f);
        w.writeToSequence(new javax.imageio.IIOImage(img, null, null), null);
      }
      w.endWriteSequence();
    }
    w.dispose();
    return bytes.toByteArray();
  }

  /** The one dead letter once the batch ran, with its stage and reason, and the next good image still embedded. */
  private DeadLetter refusedThenGoodFlows(String stage, String reason) {
    driver.advanceWallClockTime(Duration.ofSeconds(2)); // the embedder refuses an image when its batch runs
    List<DeadLetter> letters = dlq.readValuesToList();
    assertEquals(1, letters.size(), "exactly one dead letter");
    DeadLetter d = letters.get(0);
    assertEquals(stage, d.getStage());
    assertEquals(reason, d.getReason(), d.getError());
    assertTrue(out.isEmpty(), "nothing embedded for a refused record");
    in.pipeInput("good", inline("good", images.png(0)));
    driver.advanceWallClockTime(Duration.ofSeconds(2));
    assertEquals(List.of("good"), out.readValuesToList().stream().map(ImageEmbedding::getId).toList(), "the stream goes on");
    return d;
  }

  @ParameterizedTest
  @ValueSource(strings = {"PNG", "TIFF"})
  void refusesAnImageDeclaring100000By100000PixelsBeforeDecodingIt(String format) {
    byte[] bomb = format.equals("PNG") ? HostileImages.declaredBomb(100_000, 100_000)
        : HostileImages.declaredTiffBomb(100_000, 100_000);
    assertTrue(bomb.length < 200, "the bomb itself is tiny: " + bomb.length + " bytes");
    in.pipeInput("bomb", inline("bomb", bomb));
    DeadLetter d = refusedThenGoodFlows("embedder", "too-large");
    assertTrue(d.getError().contains(format + " is 100000×100000, above image.max-pixels="), d.getError());
    assertArrayEquals("bomb".getBytes(), d.getKey().array());
  }

  @Test
  void refusesATruncatedWebp() throws IOException {
    byte[] webp = Files.readAllBytes(Fixtures.imageFormats().resolve("images/lossy.webp"));
    in.pipeInput("cut-webp", inline("cut-webp", HostileImages.truncated(webp)));
    DeadLetter d = refusedThenGoodFlows("embedder", "image-decode");
    assertTrue(d.getError().contains("WebP is truncated"), d.getError());
  }

  @Test
  void embedsTheFirstFrameOfAnAnimatedGifAndCountsIt() throws IOException {
    in.pipeInput("animated", inline("animated", animatedGif(3)));
    driver.advanceWallClockTime(Duration.ofSeconds(2));
    assertEquals(List.of("animated"), out.readValuesToList().stream().map(ImageEmbedding::getId).toList());
    assertTrue(dlq.isEmpty());
    assertEquals(1.0, metrics.registry().get("alvlm.images.multiframe").tag("format", "GIF").counter().count());
  }

  @Test
  void refusesAnInlinePayloadAboveImageMaxBytes() {
    byte[] big = Arrays.copyOf(images.png(1), MAX_BYTES + 1);
    in.pipeInput("big", inline("big", big));
    DeadLetter d = refusedThenGoodFlows("embedder", "too-large");
    assertTrue(d.getError().contains("image.max.bytes=" + MAX_BYTES), d.getError());
  }

  @Test
  void refusesAnImageCutAfterItsHeader() {
    in.pipeInput("cut", inline("cut", Arrays.copyOf(images.png(2), 40)));
    refusedThenGoodFlows("embedder", "image-decode");
  }

  @Test
  void refusesAnImageWithCorruptedCompressedData() {
    byte[] png = images.png(3);
    byte[] bad = null;
    for (long seed = 0; bad == null; seed++) {
      byte[] b = HostileImages.corrupted(png, seed);
      try {
        new io.alvlm.clip.ImageDecoder(1_000_000).decode(b);
      } catch (io.alvlm.clip.ImageRejectedException e) {
        bad = b;
      }
    }
    in.pipeInput("flipped", inline("flipped", bad));
    refusedThenGoodFlows("embedder", "image-decode");
  }

  @Test
  void refusesARedirectToAHostThatIsNotAllowed() {
    in.pipeInput("redirect", byUri("redirect", "http://127.0.0.1:" + http.getAddress().getPort() + "/self"));
    DeadLetter d = refusedThenGoodFlows("embedder", "fetch-denied");
    assertTrue(d.getError().contains("attacker.invalid"), d.getError());
  }

  @Test
  void deadLettersAnImageRecordThatIsNotAvro() {
    byte[] junk = "GET /etc/passwd".getBytes();
    raw.pipeInput("junk", junk);
    DeadLetter d = refusedThenGoodFlows("deserialization", "bad-magic");
    assertArrayEquals(junk, d.getValue().array());
    assertEquals(topics.images.name(), d.getTopic());
  }

  @Test
  void deadLettersAnImageRecordWithAnUnknownSchemaFingerprint() {
    byte[] good = topics.images.valueSerde().serializer().serialize(topics.images.name(), inline("x", images.png(4)));
    byte[] unknown = good.clone();
    for (int i = 2; i < 10; i++) {
      unknown[i] = (byte) ~unknown[i];
    }
    raw.pipeInput("x", unknown);
    refusedThenGoodFlows("deserialization", "unknown-schema");
  }
}
