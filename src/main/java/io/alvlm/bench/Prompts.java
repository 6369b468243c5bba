package io.alvlm.bench;

import java.util.List;

/** Prompts of typical lengths for benchmarks. */
public final class Prompts {
  private Prompts() {}

  public static final List<String> SAMPLE = List.of("a photo of a dog.", "a photo of a golden retriever, a type of pet.",
      "a centered satellite photo of Highway or Road.", "a photo of a 707-320, a type of aircraft.",
      "banded texture.", "a blurry photo of the cat.", "a black and white photo of a tench.",
      "itap of a pickup truck.");

  /** Words to make class names of realistic token length from. */
  public static final List<String> CLASS_WORDS = List.of("golden retriever", "tabby cat", "pickup truck", "banded",
      "Highway or Road", "sea lion", "airliner", "strawberry", "mountain bike", "espresso");
}
