package io.alvlm.stream;

import java.util.Objects;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a stream thread that died takes with it. An exception (a task that failed, a registry that did
 * not answer in time) replaces the thread, which starts again from the last commit. An error of the
 * JVM itself ({@link VirtualMachineError}: out of memory, a stack overflow) shuts the whole instance
 * down instead: a replaced thread would rebuild its task's in-memory state while the old one may still
 * be reachable, and with a heap sized to that state a second error follows. The process then exits
 * and its supervisor (Kubernetes, Compose, the soak) starts it again, clean. The launcher and the
 * images also run the JVM with {@code -XX:+ExitOnOutOfMemoryError}, which ends the process at the
 * first {@link OutOfMemoryError} on any thread; this handler is the same rule for a JVM started
 * without that flag.
 */
public final class StreamFailures implements StreamsUncaughtExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(StreamFailures.class);
  private final Runnable onReplace;
  private final Runnable onFatal;

  /**
   * @param onReplace called for each thread replaced
   * @param onFatal called once the instance is being shut down for an error of the JVM
   */
  public StreamFailures(Runnable onReplace, Runnable onFatal) {
    this.onReplace = Objects.requireNonNull(onReplace);
    this.onFatal = Objects.requireNonNull(onFatal);
  }

  /** The error of the JVM behind {@code t}, or null when there is none. */
  static VirtualMachineError fatal(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof VirtualMachineError e) {
        return e;
      }
    }
    return null;
  }

  @Override
  public StreamThreadExceptionResponse handle(Throwable exception) {
    VirtualMachineError error = fatal(exception);
    if (error != null) {
      LOG.error("stream thread {} failed with {}; shutting this instance down so that it restarts clean (a replaced "
          + "thread would rebuild its state beside the old one)", Thread.currentThread().getName(), error);
      onFatal.run();
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    LOG.error("stream thread failed; replacing it", exception);
    onReplace.run();
    return StreamThreadExceptionResponse.REPLACE_THREAD;
  }
}
