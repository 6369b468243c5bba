package io.alvlm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every command's --help as picocli prints it (80 columns): a summary that is a whole sentence,
 * a description and a default for every option, and no word cut in two by the wrapping (the JDK's
 * line breaker picocli uses breaks after "." and "-" inside a word, e.g. "cec.lambda=0." / "5").
 */
class HelpTextTest {
  private static List<CommandLine> everyCommand() {
    List<CommandLine> all = new ArrayList<>();
    collect(Alvlm.commandLine(Map.of()), all);
    return all;
  }

  private static void collect(CommandLine cl, List<CommandLine> into) {
    into.add(cl);
    cl.getSubcommands().values().forEach(sub -> collect(sub, into));
  }

  private static String help(CommandLine cl) {
    return cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
  }

  /** Words of {@code text} that no line of {@code rendered} holds whole. */
  private static List<String> cutWords(String text, String rendered) {
    List<String> cut = new ArrayList<>();
    for (String word : text.split("\\s+")) {
      if (!word.isEmpty() && rendered.lines().noneMatch(l -> l.contains(word))) {
        cut.add(word);
      }
    }
    return cut;
  }

  @Test
  void noWordIsCutByTheWrapping() {
    List<String> problems = new ArrayList<>();
    for (CommandLine cl : everyCommand()) {
      CommandSpec spec = cl.getCommandSpec();
      String rendered = help(cl);
      List<String> texts = new ArrayList<>(List.of(spec.usageMessage().description()));
      spec.options().forEach(o -> texts.addAll(List.of(o.description())));
      spec.positionalParameters().forEach(p -> texts.addAll(List.of(p.description())));
      for (String t : texts) {
        cutWords(t, rendered).forEach(w -> problems.add(spec.qualifiedName() + ": '" + w + "'"));
      }
      if (cl.getParent() != null) {
        String parent = help(cl.getParent());
        String summary = spec.usageMessage().description().length == 0 ? "" : spec.usageMessage().description()[0];
        cutWords(summary, parent).forEach(w -> problems.add(spec.qualifiedName() + " in the parent's list: '" + w + "'"));
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void everySummaryIsAWholeSentence() {
    List<String> problems = new ArrayList<>();
    for (CommandLine cl : everyCommand()) {
      String[] d = cl.getCommandSpec().usageMessage().description();
      String summary = d.length == 0 ? "" : d[0].strip();
      if (!summary.endsWith(".")) {
        problems.add(cl.getCommandSpec().qualifiedName() + ": '" + summary + "'");
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void everyOptionSaysWhatItIsAndItsDefault() {
    List<String> problems = new ArrayList<>();
    for (CommandLine cl : everyCommand()) {
      for (OptionSpec o : cl.getCommandSpec().options()) {
        String d = String.join(" ", o.description());
        if (d.isBlank()) {
          problems.add(cl.getCommandSpec().qualifiedName() + " " + o.longestName() + ": no description");
        }
        boolean flag = o.arity().max() == 0;
        if (!flag && !o.required() && !d.toLowerCase(java.util.Locale.ROOT).contains("default")
            && o.group() == null) {
          problems.add(cl.getCommandSpec().qualifiedName() + " " + o.longestName() + ": no default named");
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void linesOfADescriptionAreOneParagraphAndAnEmptyLineBreaksThem() {
    assertEquals(List.of("one two three", "", "four"),
        List.of(HelpText.paragraphs(new String[] {"one two", " three", "", "four"})));
    // as printed: no stub of a source line between two wrapped lines (the demo's description had four)
    String demo = help(Alvlm.commandLine(Map.of()).getSubcommands().get("demo"));
    org.junit.jupiter.api.Assertions.assertTrue(demo.replaceAll("\\s+", " ").contains("a simulated annotator answering"), demo);
    org.junit.jupiter.api.Assertions.assertFalse(demo.lines().anyMatch(l -> l.equals("simulated")), demo);
  }

  @Test
  void anOptionWhoseDescriptionWasReflowedStillTakesItsValue() {
    CommandLine cl = Alvlm.commandLine(Map.of());
    CommandLine demo = cl.getSubcommands().get("demo");
    OptionSpec annotate = demo.getCommandSpec().findOption("--annotate");
    assertEquals(1, annotate.description().length, "reflowed into one paragraph");
    cl.parseArgs("demo", "--annotate", "--budget", "7");
    Object annotated = demo.getCommandSpec().findOption("--annotate").getValue();
    Object budget = demo.getCommandSpec().findOption("--budget").getValue();
    assertEquals(Boolean.TRUE, annotated);
    assertEquals("7", budget);
  }
}
