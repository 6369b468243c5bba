package io.alvlm.serde;

import io.alvlm.avro.AnnotationRequest;
import io.alvlm.avro.ClassGuess;
import io.alvlm.avro.LabelOutcome;
import io.alvlm.avro.VectorPrecision;
import io.alvlm.avro.DeadLetter;
import io.alvlm.avro.ImageStatus;
import io.alvlm.avro.PoolEntry;
import io.alvlm.avro.TrainingEvent;
import io.alvlm.avro.TrainingEventType;
import io.alvlm.avro.ImageEmbedding;
import io.alvlm.avro.ImageEvent;
import io.alvlm.avro.Label;
import io.alvlm.avro.PromptModel;
import io.alvlm.avro.QueryRound;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * The record types that travel on alvlm's topics, their current schemas and their past versions.
 *
 * <p>Past versions live on the classpath as {@code schemas/history/<Name>/v1.avsc, v2.avsc, ...}
 * (copied from the project's {@code schemas/} folder by the build). Versions are numbered without
 * gaps; the first missing number ends the history.
 */
public final class RecordTypes {
  private static final List<Class<? extends SpecificRecord>> ALL =
      List.of(
          ImageEvent.class,
          ImageEmbedding.class,
          AnnotationRequest.class,
          Label.class,
          PromptModel.class,
          QueryRound.class,
          DeadLetter.class,
          PoolEntry.class,
          io.alvlm.avro.PickScores.class,
          TrainingEvent.class,
          io.alvlm.avro.RoundControl.class,
          io.alvlm.avro.StopState.class,
          io.alvlm.avro.AgreementCount.class,
          io.alvlm.avro.PoolNotice.class);

  private static final AtomicBoolean TRUSTED = new AtomicBoolean();

  private RecordTypes() {}

  /**
   * Adds alvlm's generated classes to Avro's class allow-list (Avro 1.12 refuses to instantiate
   * classes named in schemas unless trusted). Idempotent; the serde formats call it.
   */
  public static void trustGeneratedClasses() {
    if (TRUSTED.compareAndSet(false, true)) {
      ClassSecurityValidator.Builder ours = ClassSecurityValidator.builder();
      ALL.forEach(ours::add);
      List.of(ClassGuess.class, LabelOutcome.class, io.alvlm.avro.LabelVote.class, VectorPrecision.class, ImageStatus.class, TrainingEventType.class,
          io.alvlm.avro.RoundAction.class, io.alvlm.avro.StopReading.class).forEach(ours::add);
      ClassSecurityValidator.setGlobal(
          ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), ours.build()));
    }
  }

  /** Every top-level record class, one per {@code schemas/*.avsc}. */
  public static List<Class<? extends SpecificRecord>> all() {
    return ALL;
  }

  /** The schema the generated class was built from (the reader schema of this build). */
  public static Schema schemaOf(Class<? extends SpecificRecord> type) {
    return SpecificData.getForClass(Objects.requireNonNull(type, "type")).getSchema(type);
  }

  /** Past versions of the named record, oldest first, read from {@code schemas/history/<name>/}. */
  public static List<Schema> history(String recordName) {
    Objects.requireNonNull(recordName, "recordName");
    List<Schema> versions = new ArrayList<>();
    for (int v = 1; ; v++) {
      String path = "schemas/history/" + recordName + "/v" + v + ".avsc";
      try (InputStream in = RecordTypes.class.getClassLoader().getResourceAsStream(path)) {
        if (in == null) {
          return versions;
        }
        versions.add(new Schema.Parser().parse(in));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + path + " from the classpath", e);
      }
    }
  }
}
