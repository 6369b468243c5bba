package io.alvlm.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

/** An error of the JVM shuts the instance down, even wrapped by Kafka Streams; any other failure replaces the thread. */
class StreamFailuresTest {
  private final AtomicInteger replaced = new AtomicInteger();
  private final AtomicInteger fatal = new AtomicInteger();
  private final StreamFailures failures = new StreamFailures(replaced::incrementAndGet, fatal::incrementAndGet);

  @Test
  void outOfMemoryShutsTheClientDownAndNeverReplacesTheThread() {
    assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT, failures.handle(new OutOfMemoryError("Java heap space")));
    assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT,
        failures.handle(new StreamsException("task 0_1 failed", new OutOfMemoryError("Direct buffer memory"))));
    assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT, failures.handle(new StackOverflowError()));
    assertEquals(3, fatal.get());
    assertEquals(0, replaced.get());
  }

  @Test
  void anExceptionReplacesTheThread() {
    assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD,
        failures.handle(new StreamsException("task 0_1 failed", new IllegalStateException("registry did not answer"))));
    assertEquals(1, replaced.get());
    assertEquals(0, fatal.get());
  }
}
