package io.alvlm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code alvlm} launcher. Every command of the project is a picocli subcommand registered in
 * {@link #commandLine()}; {@code bin/alvlm --help} lists them.
 */
@Command(
    name = "alvlm",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Active learning for vision-language models on Kafka Streams (CEC selection, CoOp prompts).")
public final class Alvlm implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  // read by ErrorReport from the arguments, so it works before and after the subcommand's name
  @CommandLine.Option(names = ErrorReport.DEBUG_OPTION, scope = CommandLine.ScopeType.INHERIT,
      description = "On an error, print its stack trace as well (also ALVLM_DEBUG=1).")
  boolean debug;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** The command tree with the error path of {@link ErrorReport}; tests drive it exactly as the launcher does. */
  public static CommandLine commandLine() {
    return commandLine(System.getenv());
  }

  public static CommandLine commandLine(java.util.Map<String, String> env) {
    CommandLine cl = new CommandLine(new Alvlm());
    for (Object sub : Commands.all()) {
      cl.addSubcommand(sub);
    }
    CommandLine bench = cl.getSubcommands().get("bench");
    Commands.benches().forEach((name, make) -> bench.addSubcommand(name, Commands.orAbsent(name, make)));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    HelpText.reflow(cl);
    ErrorReport errors = new ErrorReport(env);
    cl.setExecutionExceptionHandler(errors);
    cl.setParameterExceptionHandler(errors);
    return cl;
  }

  public static void main(String[] args) {
    System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
    System.exit(commandLine().execute(args));
  }
}
