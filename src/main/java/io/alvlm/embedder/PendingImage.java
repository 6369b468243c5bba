package io.alvlm.embedder;

import io.alvlm.avro.ImageEvent;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * An image waiting in the embedder's buffer: its record, where it came from, when it arrived, and the
 * fetch + decode + CLIP preprocessing running on the decode threads. {@link #await()} gives the pixels
 * or the reason it was refused.
 */
record PendingImage(String id, ImageEvent event, Optional<RecordMetadata> source, long arrivedAt,
    FutureTask<float[]> pixels) {

  /** The pixels (CHW floats), or null and why not (a dead-letter reason and message). */
  record Outcome(float[] pixels, String reason, String message) {}

  /** Starts fetching and decoding {@code event} on {@code decode}. */
  static PendingImage start(String id, ImageEvent event, Optional<RecordMetadata> source, long arrivedAt,
      ImageTower tower, ImageFetcher fetcher, Executor decode) {
    FutureTask<float[]> job = new FutureTask<>(() -> tower.preprocess(id, fetcher.bytes(event)));
    decode.execute(job);
    return new PendingImage(id, event, source, arrivedAt, job);
  }

  /** Waits for the decoding; an interrupted wait is rethrown so that the stream thread can stop. */
  Outcome await() {
    try {
      return new Outcome(pixels.get(), null, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for image " + id + " to decode", e);
    } catch (CancellationException e) {
      throw new IllegalStateException("image " + id + " was cancelled while still in the batch", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ImageRejected r) {
        return new Outcome(null, r.reason(), r.getMessage());
      }
      if (cause instanceof Error err) {
        throw err; // the stream thread dies and its replacement decodes the buffer again
      }
      if (cause instanceof RuntimeException) {
        return new Outcome(null, "image-decode", "image " + id + ": " + cause);
      }
      throw new IllegalStateException("decoding image " + id + " failed: " + cause, cause);
    }
  }

  void cancel() {
    pixels.cancel(false);
  }
}
