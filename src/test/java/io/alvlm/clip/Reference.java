package io.alvlm.clip;

import io.alvlm.data.SafeTensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The tensors of one fixture's {@code expected.safetensors} (reference outputs of Hugging Face transformers). */
public final class Reference {
  private final SafeTensors file;

  private Reference(SafeTensors file) {
    this.file = file;
  }

  /** {@code fixture/expected.safetensors}. */
  public static Reference of(Path fixture) {
    try {
      return new Reference(SafeTensors.open(fixture.resolve("expected.safetensors")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public SafeTensors file() {
    return file;
  }

  /** The tensor as rows of its first dimension. */
  public float[][] rows(String name) {
    try {
      SafeTensors.Floats f = file.floats(name);
      int n = (int) f.shape()[0];
      int d = f.data().length / n;
      float[][] out = new float[n][];
      for (int i = 0; i < n; i++) out[i] = Arrays.copyOfRange(f.data(), i * d, (i + 1) * d);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public List<float[]> rowList(String name) {
    return new ArrayList<>(List.of(rows(name)));
  }

  /** A 0-dimensional tensor's value. */
  public float scalar(String name) {
    try {
      return file.floats(name).data()[0];
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public long[][] ids(String name) {
    try {
      long[] flat = file.longs(name);
      long[] shape = file.entry(name).shape();
      long[][] out = new long[(int) shape[0]][];
      int d = (int) shape[1];
      for (int i = 0; i < out.length; i++) out[i] = Arrays.copyOfRange(flat, i * d, (i + 1) * d);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
