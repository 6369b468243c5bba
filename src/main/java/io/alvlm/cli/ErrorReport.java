package io.alvlm.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The one error path of every command: {@code alvlm COMMAND: message} on one line of standard
 * error, exit status 1 (2 for usage errors: picocli's own and {@link UsageError}s), and the stack
 * trace only under {@code --debug} or {@code ALVLM_DEBUG=1}. The message comes from {@link Problem}.
 */
final class ErrorReport implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
  static final String DEBUG_OPTION = "--debug";
  static final String DEBUG_VARIABLE = "ALVLM_DEBUG";
  private final Map<String, String> env;

  ErrorReport(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
    boolean usage = ex instanceof UsageError;
    report(cl, Problem.describe(ex) + (usage ? help(cl) : ""), ex, parsed.originalArgs());
    return usage ? 2 : 1;
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    // picocli starts some of its messages with "Error: ", which the command's prefix already says
    report(cl, Problem.oneLine(ex.getMessage()).replaceFirst("^Error: ", "") + help(cl), ex, List.of(args));
    return 2;
  }

  private void report(CommandLine cl, String message, Exception ex, List<String> args) {
    PrintWriter err = cl.getErr();
    err.println(cl.getCommandSpec().qualifiedName() + ": " + message);
    if (args.contains(DEBUG_OPTION) || "1".equals(env.get(DEBUG_VARIABLE)) || "true".equals(env.get(DEBUG_VARIABLE))) {
      ex.printStackTrace(err);
    }
    err.flush();
  }

  private static String help(CommandLine cl) {
    return " (" + cl.getCommandSpec().qualifiedName() + " --help lists the options)";
  }
}
