package io.alvlm.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One encoded image of a dataset (PNG, JPEG, WebP, TIFF, BMP or GIF bytes) with a name for messages. The feature
 * cache keys images by the hash of these bytes, not by the name.
 */
public interface ImageFile {
  /** Where the image comes from, for messages (a path, or {@code train[42]}). */
  String name();

  /** The encoded bytes. */
  byte[] read() throws IOException;

  /** An image file on disk. */
  static ImageFile of(Path path) {
    Objects.requireNonNull(path, "path");
    return new ImageFile() {
      @Override
      public String name() {
        return path.toString();
      }

      @Override
      public byte[] read() throws IOException {
        if (!Files.isRegularFile(path)) {
          throw new IOException("image " + path + " does not exist: is the dataset's image folder complete?");
        }
        return Files.readAllBytes(path);
      }
    };
  }
}
