package io.alvlm.pool;

import io.alvlm.avro.ImageStatus;
import io.alvlm.avro.PoolEntry;
import io.alvlm.data.VectorBytes;
import io.alvlm.selection.PoolStatus;

/** Conversions between the pool store's Avro entries and the in-memory index. */
final class PoolCodec {
  private PoolCodec() {}

  static float[] vector(PoolEntry e) {
    return VectorBytes.decode(e.getVector(), e.getDim(), e.getHalf());
  }

  static PoolStatus status(ImageStatus s) {
    return PoolStatus.valueOf(s.name());
  }

  static ImageStatus status(PoolStatus s) {
    return ImageStatus.valueOf(s.name());
  }
}
