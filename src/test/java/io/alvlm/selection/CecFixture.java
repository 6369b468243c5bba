package io.alvlm.selection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alvlm.data.Fixtures;
import io.alvlm.data.Npy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The cec-small fixture: features, class text and the numpy/scikit-learn reference outputs. */
record CecFixture(Npy.FloatArray features, Npy.FloatArray text, JsonNode reference) {
  static CecFixture load() {
    Path dir = Fixtures.cecSmall();
    try {
      return new CecFixture(Npy.readFloats(dir.resolve("features.npy")), Npy.readFloats(dir.resolve("text.npy")),
          new ObjectMapper().readTree(dir.resolve("reference.json").toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  PoolView pool() {
    return PoolView.unlabeled(features.data(), features.cols(), text.data(), 100f);
  }

  double[] ref(String key) {
    JsonNode a = reference.get(key);
    double[] out = new double[a.size()];
    for (int i = 0; i < out.length; i++) out[i] = a.get(i).asDouble();
    return out;
  }

  int budget() {
    return reference.get("params").get("budget").asInt();
  }
}
