package dev.meridian.cli.internal;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into exactly one line on stderr, {@code error: MESSAGE}, and an exit code: 2
 * for usage errors, 1 for the rest (130 when interrupted). Never a stack trace: a user cannot act
 * on one, and it may echo data that does not belong in a terminal's scroll-back.
 */
public final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {
  private final CliContext ctx;

  public ErrorReporter(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    return usage(ex);
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
    if (ex instanceof ParameterException pe) {
      return usage(pe);
    }
    if (ex instanceof CliException ce) {
      return report(ce.getMessage(), ce.exitCode());
    }
    return report(
        "internal error: " + ex.getClass().getSimpleName() + ": " + OneLine.safe(ex.getMessage()),
        CliException.FAILURE);
  }

  private int usage(ParameterException ex) {
    CommandLine cl = ex.getCommandLine();
    String command = cl.getCommandSpec().qualifiedName();
    String message = firstLine(ex.getMessage());
    if (ex instanceof CommandLine.UnmatchedArgumentException u
        && !cl.getSubcommands().isEmpty()
        && !u.getUnmatched().isEmpty()
        && !u.getUnmatched().get(0).startsWith("-")) {
      // a word where a command was expected: say so, as for "WORD --help"
      message = "unknown command \"" + u.getUnmatched().get(0) + "\" for \"" + command + "\"";
    }
    return report(message + " (see '" + command + " --help')", CliException.USAGE);
  }

  private int report(String message, int exitCode) {
    ctx.out().flush();
    ctx.err().println("error: " + OneLine.safe(message));
    ctx.err().flush();
    return exitCode;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "invalid arguments";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
