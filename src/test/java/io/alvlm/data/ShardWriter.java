package io.alvlm.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes tensors as transformers' {@code save_pretrained} shards them: N files and an index json. */
public final class ShardWriter {
  private ShardWriter() {}

  /**
   * Splits {@code tensors} (in order) into {@code shards} files of about equal count, named
   * {@code model-0000i-of-0000N.safetensors}, stored as {@code dtype}, plus
   * {@code model.safetensors.index.json}. Returns the shard file names.
   */
  public static List<String> write(Path dir, Map<String, SafeTensors.Floats> tensors, int shards, String dtype)
      throws IOException {
    List<String> names = new ArrayList<>(tensors.keySet());
    List<String> files = new ArrayList<>();
    ObjectNode index = new ObjectMapper().createObjectNode();
    index.putObject("metadata").put("total_size", 0);
    ObjectNode map = index.putObject("weight_map");
    int per = (names.size() + shards - 1) / shards;
    for (int s = 0; s < shards; s++) {
      String file = String.format("model-%05d-of-%05d.safetensors", s + 1, shards);
      Map<String, SafeTensors.Floats> part = new LinkedHashMap<>();
      for (String n : names.subList(Math.min(s * per, names.size()), Math.min((s + 1) * per, names.size()))) {
        part.put(n, tensors.get(n));
        map.put(n, file);
      }
      SafeTensors.write(dir.resolve(file), part, Map.of("format", "pt"), dtype);
      files.add(file);
    }
    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(dir.resolve(SafeTensorShards.INDEX).toFile(), index);
    return files;
  }

  /** Every tensor of {@code file} as float32, in header order. */
  public static Map<String, SafeTensors.Floats> readAll(Path file) throws IOException {
    SafeTensors st = SafeTensors.open(file);
    Map<String, SafeTensors.Floats> all = new LinkedHashMap<>();
    for (String n : st.names()) all.put(n, st.floats(n));
    return all;
  }
}
