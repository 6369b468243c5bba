package io.alvlm.data;

import java.nio.file.Files;
import java.nio.file.Path;

/** Test fixtures copied into the project from the shared reference outputs (src/test/resources/fixtures). */
public final class Fixtures {
  private Fixtures() {}

  public static Path root() {
    Path p = Path.of("src/test/resources/fixtures").toAbsolutePath();
    if (!Files.isDirectory(p)) {
      throw new IllegalStateException("fixtures missing at " + p);
    }
    return p;
  }

  public static Path cecSmall() {
    return root().resolve("cec-small");
  }

  /** One picture in 17 formats and modes, with the tensors Pillow + CLIPImageProcessor make of each. */
  public static Path imageFormats() {
    return root().resolve("image-formats");
  }

  /** A YCCK JPEG (Adobe transform 2) of the same picture, with its Pillow reference; made here, see its README. */
  public static Path ycckJpeg() {
    return root().resolve("ycck-jpeg");
  }

  public static Path clipTiny() {
    return root().resolve("clip-tiny");
  }

  /** The tiny random CLIP checkpoint (Hugging Face layout) the clip-tiny references were made with. */
  public static Path clipTinyModel() {
    Path p = Path.of("models/clip-tiny").toAbsolutePath();
    if (!Files.isDirectory(p)) {
      throw new IllegalStateException("tiny model missing at " + p);
    }
    return p;
  }

  /** Reference outputs of a tiny random SigLIP (Hugging Face transformers' {@code SiglipModel}). */
  public static Path siglipTiny() {
    return root().resolve("siglip-tiny");
  }

  /** The tiny random SigLIP checkpoint (Hugging Face layout) the siglip-tiny references were made with. */
  public static Path siglipTinyModel() {
    Path p = Path.of("models/siglip-tiny").toAbsolutePath();
    if (!Files.isDirectory(p)) {
      throw new IllegalStateException("tiny model missing at " + p);
    }
    return p;
  }

  /** The real CLIP BPE tokenizer (the same file as the tiny model's). */
  public static Path clipTokenizer() {
    return clipTinyModel().resolve("tokenizer.json");
  }
}
