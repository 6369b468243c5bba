package io.alvlm.pool;

import io.alvlm.avro.ImageEmbedding;
import io.alvlm.avro.ImageStatus;
import io.alvlm.avro.PoolEntry;
import io.alvlm.avro.VectorPrecision;
import io.alvlm.data.VectorBytes;
import io.alvlm.selection.PoolStatus;
import java.time.Instant;

/** Conversions between the pool store's Avro entries and the in-memory index. */
final class PoolCodec {
  private PoolCodec() {}

  /** The pool store's entry for image {@code e} arrived at {@code row}, at {@code now} (wall-clock ms): unlabelled. */
  static PoolEntry arrived(ImageEmbedding e, int row, long now) {
    return PoolEntry.newBuilder().setId(e.getId()).setUri(e.getUri()).setVector(e.getVector())
        .setHalf(e.getPrecision() == VectorPrecision.FLOAT16).setDim(e.getDim()).setStatus(ImageStatus.UNLABELED)
        .setArrivedAt(Instant.ofEpochMilli(now)).setRow(row).build();
  }

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
