package io.alvlm.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Help text as paragraphs. The commands' descriptions are written as source lines of about 100
 * characters; picocli prints each element as a line of its own, wrapped at 80 columns, which leaves
 * stubs of one or two words between them. Consecutive lines are joined into one paragraph that
 * picocli wraps whole; an empty line stays a paragraph break. A command's first line is its summary in
 * its parent's list and stays a line of its own.
 */
final class HelpText {
  private HelpText() {}

  /** Reflows the descriptions of {@code cl}, its options and parameters, and of every subcommand below it. */
  static void reflow(CommandLine cl) {
    CommandSpec spec = cl.getCommandSpec();
    String[] d = spec.usageMessage().description();
    if (d.length > 2) {
      List<String> out = new ArrayList<>(List.of(d[0]));
      out.addAll(List.of(paragraphs(java.util.Arrays.copyOfRange(d, 1, d.length))));
      spec.usageMessage().description(out.toArray(String[]::new));
    }
    for (OptionSpec o : List.copyOf(spec.options())) {
      if (o.description().length > 1 && o.group() == null) {
        spec.remove(o);
        spec.addOption(o.toBuilder().description(paragraphs(o.description())).build());
      }
    }
    for (PositionalParamSpec p : List.copyOf(spec.positionalParameters())) {
      if (p.description().length > 1 && p.group() == null) {
        spec.remove(p);
        spec.addPositional(p.toBuilder().description(paragraphs(p.description())).build());
      }
    }
    cl.getSubcommands().values().forEach(HelpText::reflow);
  }

  /** Consecutive non-empty lines joined with a space; an empty line kept as the break between two paragraphs. */
  static String[] paragraphs(String[] lines) {
    List<String> out = new ArrayList<>();
    StringBuilder p = new StringBuilder();
    for (String line : lines) {
      if (line.isBlank()) {
        if (p.length() > 0) out.add(p.toString());
        p.setLength(0);
        out.add("");
      } else {
        if (p.length() > 0) p.append(' ');
        p.append(line.strip());
      }
    }
    if (p.length() > 0) out.add(p.toString());
    return out.toArray(String[]::new);
  }
}
