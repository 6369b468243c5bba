package io.alvlm.annotate;

/** An annotator's action that the desk cannot accept as it stands; the message says why and what to do. */
public final class DeskRefusal extends RuntimeException {
  public DeskRefusal(String message) {
    super(message);
  }
}
