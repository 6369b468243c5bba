package io.alvlm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The one line a person reads for an exception. */
class ProblemTest {
  @Test
  void fileErrorsNameTheFile() {
    assertEquals("no such file: in/f.npy", Problem.describe(new NoSuchFileException("in/f.npy")));
    assertEquals("permission denied: /etc/x", Problem.describe(new AccessDeniedException("/etc/x")));
    assertEquals("no such file: a.txt", Problem.describe(new UncheckedIOException(new NoSuchFileException("a.txt"))));
  }

  @Test
  void wrappersAreLookedThroughOurMessagesKeptOnOneLine() {
    assertEquals("bad value; and why", Problem.describe(new ExecutionException(new IllegalArgumentException("bad value\n and why"))));
    assertEquals("outer says more", Problem.describe(new IllegalStateException("outer says more", new IOException("inner"))));
    assertEquals("inner", Problem.describe(new RuntimeException(new IOException("inner"))));
  }

  @Test
  void jdkBugsAreMarkedInternalWithTheirType() {
    String npe = Problem.describe(new NullPointerException("x is null"));
    assertTrue(npe.startsWith("internal error java.lang.NullPointerException: x is null (--debug prints"), npe);
    String aioobe = Problem.describe(new ArrayIndexOutOfBoundsException("Index -1 out of bounds for length 3"));
    assertTrue(aioobe.startsWith("internal error java.lang.ArrayIndexOutOfBoundsException"), aioobe);
    assertTrue(Problem.describe(new NumberFormatException("For input string: \"x\"")).startsWith("internal error"));
  }
}
