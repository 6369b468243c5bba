package io.alvlm.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weights of a Hugging Face model directory, in one {@code model.safetensors} or sharded as
 * {@code model.safetensors.index.json} (its {@code weight_map}: tensor name → shard file) plus the
 * shard files. Every shard is read with the memory-mapped {@link SafeTensors}; a tensor reads the
 * same whichever layout holds it. A single file is preferred when both are present, as
 * transformers does. Immutable and thread-safe.
 */
public final class SafeTensorShards {
  public static final String SINGLE = "model.safetensors";
  public static final String INDEX = "model.safetensors.index.json";

  private final Path source;
  private final Map<String, SafeTensors> byTensor;
  private final List<Path> files;

  private SafeTensorShards(Path source, Map<String, SafeTensors> byTensor, List<Path> files) {
    this.source = source;
    this.byTensor = byTensor;
    this.files = files;
  }

  /** Opens the weights of {@code dir}; every shard the index names must exist. */
  public static SafeTensorShards open(Path dir) throws IOException {
    Path single = dir.resolve(SINGLE);
    if (Files.isRegularFile(single)) {
      SafeTensors st = SafeTensors.open(single);
      Map<String, SafeTensors> all = new LinkedHashMap<>();
      for (String n : st.names()) all.put(n, st);
      return new SafeTensorShards(single, Collections.unmodifiableMap(all), List.of(single));
    }
    Path index = dir.resolve(INDEX);
    if (Files.isRegularFile(index)) {
      return openIndex(index);
    }
    throw new IOException(dir + " has neither " + SINGLE + " nor " + INDEX + " (pytorch_model.bin is not read: "
        + "convert it, or download the safetensors revision)");
  }

  private static SafeTensorShards openIndex(Path index) throws IOException {
    JsonNode map = new ObjectMapper().readTree(index.toFile()).path("weight_map");
    if (!map.isObject() || map.isEmpty()) {
      throw new IOException(index + ": no \"weight_map\" object of tensor name → shard file");
    }
    Path dir = index.toAbsolutePath().normalize().getParent();
    Map<String, SafeTensors> shards = new LinkedHashMap<>();
    Map<String, SafeTensors> byTensor = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String shard = e.getValue().asText();
      SafeTensors st = shards.get(shard);
      if (st == null) {
        Path file = dir.resolve(shard).normalize();
        if (!file.startsWith(dir)) {
          throw new IOException(index + ": shard '" + shard + "' of tensor '" + e.getKey() + "' lies outside "
              + "the model directory");
        }
        if (!Files.isRegularFile(file)) {
          throw new IOException(index + " maps tensor '" + e.getKey() + "' to shard '" + shard + "', but " + file
              + " does not exist (is the download complete?)");
        }
        st = SafeTensors.open(file);
        shards.put(shard, st);
      }
      byTensor.put(e.getKey(), st);
    }
    List<Path> files = new ArrayList<>();
    shards.values().forEach(s -> files.add(s.file()));
    return new SafeTensorShards(index, Collections.unmodifiableMap(byTensor), List.copyOf(files));
  }

  /** {@code model.safetensors}, or the index file of a sharded checkpoint. */
  public Path source() {
    return source;
  }

  /** The safetensors files holding the weights, in the order the index first names them. */
  public List<Path> files() {
    return files;
  }

  /** Tensor names, in header (single file) or index order. */
  public List<String> names() {
    return new ArrayList<>(byTensor.keySet());
  }

  public boolean contains(String name) {
    return byTensor.containsKey(name);
  }

  /** The header entry of {@code name}, from the shard that holds it. */
  public SafeTensors.Entry entry(String name) {
    return shard(name).entry(name);
  }

  /** Reads {@code name} as float32 whatever its stored float type; its shape must be {@code expected}. */
  public SafeTensors.Floats floats(String name, long... expected) throws IOException {
    return shard(name).floats(name, expected);
  }

  /** Reads {@code name} as float32 whatever its stored float type and shape. */
  public SafeTensors.Floats floats(String name) throws IOException {
    return shard(name).floats(name);
  }

  private SafeTensors shard(String name) {
    SafeTensors st = byTensor.get(name);
    if (st == null) {
      throw new IllegalArgumentException(source + ": tensor '" + name + "' is missing"
          + (source.endsWith(INDEX) ? " from every shard (not in the index's weight_map)" : "")
          + " (is this the right checkpoint?)");
    }
    return st;
  }
}
