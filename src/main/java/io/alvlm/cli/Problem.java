package io.alvlm.cli;

import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * What went wrong, as one line for a person: the message of the exception that says it (wrappers
 * such as {@link ExecutionException} are looked through), file-system errors as "no such file:
 * PATH", and an exception without a useful message named by its type, marked as internal.
 */
final class Problem {
  private Problem() {}

  static String describe(Throwable t) {
    Throwable e = unwrap(t);
    if (e instanceof NoSuchFileException f) {
      return "no such file: " + f.getFile() + reason(f);
    }
    if (e instanceof AccessDeniedException f) {
      return "permission denied: " + f.getFile() + reason(f);
    }
    if (e instanceof FileAlreadyExistsException f) {
      return "already exists: " + f.getFile() + reason(f);
    }
    if (e instanceof NotDirectoryException f) {
      return "not a directory: " + f.getFile();
    }
    if (e instanceof FileSystemException f) {
      return f.getFile() + ": " + (f.getReason() == null ? e.getClass().getSimpleName() : f.getReason());
    }
    String m = e.getMessage();
    if (!internal(e) && m != null && !m.isBlank()) {
      return oneLine(m);
    }
    return "internal error " + e.getClass().getName() + (m == null || m.isBlank() ? "" : ": " + oneLine(m))
        + " (" + ErrorReport.DEBUG_OPTION + " prints the stack trace; please report it)";
  }

  /** The exception that carries the message: wrappers without a message of their own are skipped. */
  static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while (e.getCause() != null && e.getCause() != e && wrapper(e)) {
      e = e.getCause();
    }
    return e;
  }

  /**
   * The JDK's own unchecked exceptions (a null, an index, a buffer underflow) and errors are bugs or
   * unchecked input, never a message written for a person; our messages ride on IllegalArgument,
   * IllegalState and IO exceptions, and libraries' (Kafka's, DJL's) on their own types.
   */
  private static boolean internal(Throwable e) {
    if (e instanceof Error) {
      return true;
    }
    boolean jdk = e.getClass().getName().startsWith("java.");
    boolean worded = e instanceof IllegalArgumentException || e instanceof IllegalStateException
        || e instanceof UnsupportedOperationException || e instanceof java.io.IOException || e instanceof UncheckedIOException;
    return e instanceof RuntimeException && jdk && !worded || e instanceof NumberFormatException;
  }

  private static boolean wrapper(Throwable e) {
    if (e instanceof ExecutionException || e instanceof CompletionException || e instanceof InvocationTargetException
        || e instanceof picocli.CommandLine.ExecutionException) {
      return true;
    }
    // new RuntimeException(cause) carries cause.toString() as its message: nothing of its own to say
    String m = e.getMessage();
    return m == null || m.equals(e.getCause().toString());
  }

  private static String reason(FileSystemException f) {
    return f.getReason() == null ? "" : " (" + f.getReason() + ")";
  }

  /** Newlines and runs of blanks folded into single spaces. */
  static String oneLine(String s) {
    return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", "; ").replaceAll("[ \\t]+", " ");
  }
}
