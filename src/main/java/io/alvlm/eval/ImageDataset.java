package io.alvlm.eval;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A labelled image dataset as the evaluation uses it: the train split is the unlabelled pool, the
 * test split measures accuracy.
 *
 * @param name short name for reports ({@code DescribableTextures}, {@code FashionMNIST}, a folder name)
 * @param classNames class names in label order, as the prompts spell them (underscores become spaces)
 * @param templates zero-shot prompt templates, {@code {}} standing for the class name
 * @param paperDataset the dataset's name in the CEC paper's table when it is one of them
 */
public record ImageDataset(String name, List<String> classNames, List<String> templates, ImageSplit train,
    ImageSplit test, Optional<String> paperDataset) {
  public ImageDataset {
    Objects.requireNonNull(name, "name");
    classNames = List.copyOf(classNames);
    templates = List.copyOf(templates);
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(test, "test");
    Objects.requireNonNull(paperDataset, "paperDataset");
    if (classNames.isEmpty()) throw new IllegalArgumentException(name + ": no classes");
    if (templates.isEmpty()) throw new IllegalArgumentException(name + ": no zero-shot templates");
    for (ImageSplit s : List.of(train, test)) {
      for (int i = 0; i < s.size(); i++) {
        if (s.labels()[i] < 0 || s.labels()[i] >= classNames.size()) {
          throw new IllegalArgumentException(name + ": image " + s.images().get(i).name() + " has label "
              + s.labels()[i] + ", not a class index in [0, " + classNames.size() + ")");
        }
      }
    }
  }
}
