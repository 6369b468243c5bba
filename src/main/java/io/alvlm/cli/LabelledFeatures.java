package io.alvlm.cli;

import io.alvlm.data.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Image features {@code [n, dim]} (.npy), one integer label per row (.npy) and class names (one per line). */
record LabelledFeatures(float[][] features, int[] labels, List<String> classes) {

  static LabelledFeatures read(Path features, Path labels, Path classes) throws IOException {
    Npy.FloatArray f = Npy.readFloats(features);
    if (f.shape().length != 2) {
      throw new IOException(features + ": expected a [n, dim] matrix, got shape " + Arrays.toString(f.shape()));
    }
    float[][] rows = new float[f.rows()][];
    for (int i = 0; i < rows.length; i++) rows[i] = Arrays.copyOfRange(f.data(), i * f.cols(), (i + 1) * f.cols());
    long[] l = Npy.readLongs(labels).data();
    if (l.length != rows.length) {
      throw new IOException(labels + " holds " + l.length + " labels but " + features + " has " + rows.length
          + " rows: one label per feature row");
    }
    List<String> names = Files.readAllLines(classes).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    int[] y = new int[l.length];
    for (int i = 0; i < l.length; i++) {
      if (l[i] < 0 || l[i] >= names.size()) {
        throw new IOException(labels + ": label " + l[i] + " at row " + i + " is not a line index of " + classes
            + " (" + names.size() + " classes)");
      }
      y[i] = (int) l[i];
    }
    return new LabelledFeatures(rows, y, names);
  }
}
