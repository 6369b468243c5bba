package io.alvlm.eval;

import java.util.List;
import java.util.Objects;

/**
 * The images of one split (train = the unlabelled pool, or test) and their class indices.
 *
 * @param images one entry per image
 * @param labels class index of each image, same order
 */
public record ImageSplit(List<ImageFile> images, int[] labels) {
  public ImageSplit {
    images = List.copyOf(Objects.requireNonNull(images, "images"));
    Objects.requireNonNull(labels, "labels");
    if (labels.length != images.size()) {
      throw new IllegalArgumentException(images.size() + " images but " + labels.length + " labels");
    }
  }

  public int size() {
    return labels.length;
  }
}
