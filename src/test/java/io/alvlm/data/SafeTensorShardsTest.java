package io.alvlm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorShardsTest {
  @TempDir Path dir;

  private static Map<String, SafeTensors.Floats> sample() {
    Map<String, SafeTensors.Floats> m = new LinkedHashMap<>();
    for (int t = 0; t < 5; t++) {
      float[] v = new float[6];
      for (int i = 0; i < v.length; i++) v[i] = (float) Math.sin(t * 7 + i) * 3;
      m.put("layer." + t + ".weight", new SafeTensors.Floats(v, new long[] {2, 3}));
    }
    return m;
  }

  @Test
  void shardedTensorsReadAsTheSingleFileDoes() throws Exception {
    List<String> files = ShardWriter.write(dir, sample(), 3, "F32");
    SafeTensorShards st = SafeTensorShards.open(dir);
    assertEquals(3, st.files().size());
    assertEquals(dir.resolve(files.get(2)), st.files().get(2));
    assertEquals(List.copyOf(sample().keySet()), st.names());
    for (var e : sample().entrySet()) {
      assertArrayEquals(e.getValue().data(), st.floats(e.getKey(), 2, 3).data(), e.getKey());
    }
    assertEquals(dir.resolve(SafeTensorShards.INDEX), st.source());
  }

  @Test
  void singleFileIsPreferredOverAnIndex() throws Exception {
    ShardWriter.write(dir, sample(), 2, "F32");
    Map<String, SafeTensors.Floats> one = new LinkedHashMap<>();
    one.put("only", new SafeTensors.Floats(new float[] {1, 2}, new long[] {2}));
    SafeTensors.write(dir.resolve(SafeTensorShards.SINGLE), one, Map.of());
    SafeTensorShards st = SafeTensorShards.open(dir);
    assertEquals(List.of("only"), st.names());
    assertEquals(List.of(dir.resolve(SafeTensorShards.SINGLE)), st.files());
  }

  @Test
  void missingShardIsNamedWithItsTensor() throws Exception {
    List<String> files = ShardWriter.write(dir, sample(), 3, "F32");
    Files.delete(dir.resolve(files.get(1)));
    IOException e = assertThrows(IOException.class, () -> SafeTensorShards.open(dir));
    assertTrue(e.getMessage().contains("to shard '" + files.get(1) + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  @Test
  void tensorAbsentFromEveryShardIsNamed() throws Exception {
    ShardWriter.write(dir, sample(), 2, "F32");
    SafeTensorShards st = SafeTensorShards.open(dir);
    Exception e = assertThrows(IllegalArgumentException.class, () -> st.floats("layer.9.weight", 2, 3));
    assertTrue(e.getMessage().contains("tensor 'layer.9.weight' is missing from every shard"), e.getMessage());
  }

  @Test
  void indexNamingAShardOutsideTheDirectoryIsRefused() throws Exception {
    Files.writeString(dir.resolve(SafeTensorShards.INDEX), "{\"weight_map\": {\"a\": \"../elsewhere.safetensors\"}}");
    IOException e = assertThrows(IOException.class, () -> SafeTensorShards.open(dir));
    assertTrue(e.getMessage().contains("outside the model directory"), e.getMessage());
  }

  @Test
  void directoryWithoutWeightsSaysWhatItLooksFor() {
    IOException e = assertThrows(IOException.class, () -> SafeTensorShards.open(dir));
    assertTrue(e.getMessage().contains("neither model.safetensors nor model.safetensors.index.json"), e.getMessage());
  }

  @Test
  void bfloat16IsRoundedToNearestEven() {
    // 1 + 2^-8 lies halfway between two bf16 values: ties go to the even one (1.0)
    assertEquals(1.0f, Half.bf16ToFloat(Half.toBf16(1 + 0x1p-8f)));
    assertEquals(1 + 0x1p-7f, Half.bf16ToFloat(Half.toBf16(1 + 0x1p-8f + 0x1p-20f)));
    assertEquals(1 + 0x1p-6f, Half.bf16ToFloat(Half.toBf16(1 + 0x1p-7f + 0x1p-8f)));
    assertTrue(Float.isNaN(Half.bf16ToFloat(Half.toBf16(Float.NaN))));
  }
}
