package io.alvlm.labels;

import io.alvlm.avro.Label;

/**
 * One row of an import file: the label it asks for, or why it cannot be one.
 *
 * @param line 1-based line of the row in the file
 * @param label the label, or null when {@code problem} says why not
 * @param problem what is wrong with the row, or null
 */
public record ImportRow(int line, Label label, String problem) {
  static ImportRow ok(int line, Label label) {
    return new ImportRow(line, label, null);
  }

  static ImportRow bad(int line, String problem) {
    return new ImportRow(line, null, problem);
  }
}
