package io.alvlm.cli;

import io.alvlm.clip.ClipArch;
import io.alvlm.clip.ModelFamily;
import io.alvlm.clip.RandomClip;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * {@code --model DIR} or {@code --arch ViT-B/16}: a Hugging Face CLIP directory, or random weights
 * with the shapes of an OpenAI checkpoint written to a temporary directory that {@link #close}
 * deletes. Used as an exclusive {@code @ArgGroup} of the bench commands.
 */
final class ModelSource implements AutoCloseable {
  @Option(names = "--model", description = "Hugging Face CLIP or SigLIP directory.")
  Path model;

  @Option(names = "--arch", description = "Random weights with the shapes of OpenAI's ViT-B/32, ViT-B/16, ViT-L/14 "
      + "or ViT-L/14-336, Google's SigLIP-B/16 (224 px) or SigLIP2-So400m/14-384 (no download).")
  String arch;

  private Path temporary;

  /** {@code models/clip-tiny} of the installation ({@code alvlm.home}). */
  static ModelSource tiny() {
    ModelSource s = new ModelSource();
    s.model = Path.of(System.getProperty("alvlm.home", ".")).toAbsolutePath().normalize().resolve("models/clip-tiny");
    return s;
  }

  /** The directory to load; for {@code --arch}, written now (seconds; 1.7 GB for ViT-L/14). */
  Path directory() throws IOException {
    if (model != null) return model;
    if (temporary == null) {
      ClipArch a = ClipArch.of(arch);
      Path dir = Files.createTempDirectory("alvlm-" + a.label().replace('/', '-'));
      temporary = dir;
      Path home = Path.of(System.getProperty("alvlm.home", ".")).toAbsolutePath().normalize();
      String tokenizer = a.family() == ModelFamily.CLIP ? "models/clip-tiny" : "models/siglip-tiny";
      RandomClip.write(a, dir, home.resolve(tokenizer).resolve("tokenizer.json"), 0);
    }
    return temporary;
  }

  /** What was asked for, for headers: the directory or the arch. */
  String describe() {
    return model != null ? model.toString() : "random " + ClipArch.of(arch).label();
  }

  @Override
  public void close() {
    if (temporary == null) return;
    try (Stream<Path> files = Files.walk(temporary)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    temporary = null;
  }
}
