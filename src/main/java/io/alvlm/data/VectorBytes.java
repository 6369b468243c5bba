package io.alvlm.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Little-endian float32 / float16 encodings of feature vectors, as carried in Avro {@code bytes} fields. */
public final class VectorBytes {
  private VectorBytes() {}

  public static ByteBuffer float32(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return b;
  }

  /** Decodes {@code dim} values; {@code half} selects float16, else float32. */
  public static float[] decode(ByteBuffer bytes, int dim, boolean half) {
    ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int need = dim * (half ? 2 : 4);
    if (b.remaining() != need) {
      throw new IllegalArgumentException("vector holds " + b.remaining() + " bytes, want " + need + " for dim " + dim);
    }
    float[] out = new float[dim];
    if (half) {
      for (int i = 0; i < dim; i++) out[i] = Half.toFloat(b.getShort());
    } else {
      b.asFloatBuffer().get(out);
    }
    return out;
  }

  /** Every float32 value in {@code bytes} (its length must be a multiple of 4). */
  public static float[] floats(ByteBuffer bytes) {
    if (bytes.remaining() % 4 != 0) {
      throw new IllegalArgumentException("float32 buffer of " + bytes.remaining() + " bytes is not a multiple of 4");
    }
    return decode(bytes, bytes.remaining() / 4, false);
  }
}
