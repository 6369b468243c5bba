package io.alvlm.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * One record type seen through an earlier version of its schema, as a build of that version sees it:
 * it writes with the old schema (fields the old version lacks are dropped by Avro's schema resolution)
 * and reads every record with the old schema as its reader schema (fields newer writers added are
 * dropped). Records then reach this build's code as its generated class, whose newer fields hold their
 * defaults, as an old build's records would. This is how a rolling upgrade's old build is run from the
 * new jar (the soak's {@code --upgrade}): a real old writer schema under its own registry id, and real
 * resolution against the old reader schema, on every record.
 *
 * @param <T> the generated class of this build
 */
final class PinnedSchema<T extends SpecificRecord> {
  private final Schema current;
  private final Schema old;
  private final int version;
  private final SpecificDatumWriter<T> currentWriter;
  private final GenericDatumReader<GenericRecord> narrowing;
  private final GenericDatumWriter<GenericRecord> oldWriter;
  private final SpecificDatumReader<T> widening;

  PinnedSchema(Class<T> type, int version) {
    SpecificData model = SpecificData.getForClass(type);
    this.current = RecordTypes.schemaOf(type);
    this.version = version;
    this.old = RecordTypes.history(current.getName()).get(version - 1);
    this.currentWriter = new SpecificDatumWriter<>(current, model);
    this.narrowing = new GenericDatumReader<>(current, old);
    this.oldWriter = new GenericDatumWriter<>(old);
    this.widening = new SpecificDatumReader<>(old, current, model);
  }

  /** The old version's schema: the writer schema of everything this instance writes. */
  Schema schema() {
    return old;
  }

  int version() {
    return version;
  }

  /** Writes {@code record} with the old schema, as the old build would write the same answer. */
  void write(T record, BinaryEncoder out) throws IOException {
    Objects.requireNonNull(record, "record");
    oldWriter.write(narrowing.read(null, decoder(encode(currentWriter, record))), out);
  }

  /**
   * A reader of records written with {@code writer}: resolved against the old schema (what the old
   * build's code holds), then handed over as this build's class.
   */
  Reading<T> reader(Schema writer) {
    GenericDatumReader<GenericRecord> asOld = new GenericDatumReader<>(writer, old);
    return in -> {
      GenericRecord seen = asOld.read(null, in);
      try {
        return widening.read(null, decoder(encode(oldWriter, seen)));
      } catch (IOException e) {
        throw new UncheckedIOException(e); // in-memory bytes just written: not a bad record
      }
    };
  }

  /** Decodes one record from a decoder positioned at its body. */
  @FunctionalInterface
  interface Reading<T> {
    T read(Decoder in) throws IOException;
  }

  private static <R> byte[] encode(org.apache.avro.io.DatumWriter<R> w, R record) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(bytes, null);
    w.write(record, enc);
    enc.flush();
    return bytes.toByteArray();
  }

  private static Decoder decoder(byte[] bytes) {
    return DecoderFactory.get().binaryDecoder(bytes, null);
  }

  @Override
  public String toString() {
    return current.getName() + " pinned to v" + version;
  }
}
