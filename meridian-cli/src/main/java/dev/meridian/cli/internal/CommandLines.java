package dev.meridian.cli.internal;

import dev.meridian.cli.MeridianCommand;
import picocli.CommandLine;

/** Assembles the {@code meridian} command line around a {@link CliContext}. */
public final class CommandLines {
  private CommandLines() {}

  public static CommandLine newCommandLine(CliContext ctx) {
    CommandLine cl = new CommandLine(new MeridianCommand());
    for (Object sub :
        new Object[] {
          new ApplyCommand(ctx),
          new DiffCommand(ctx),
          new GetCommand(ctx),
          new DescribeCommand(ctx),
          new DeleteCommand(ctx),
          new CompletionCommand(ctx),
          new VersionCommand(ctx),
          new JoinCommand(ctx),
          new UnjoinCommand(ctx),
          new SimCommand(ctx),
          new RebalanceCommand(ctx),
          new PlanCommand(ctx),
          new ImportCommand(ctx),
          new CordonCommand.Cordon(ctx),
          new CordonCommand.Uncordon(ctx)
        }) {
      CommandLine subLine = new CommandLine(sub);
      subLine.addMixin("help", new HelpOption());
      cl.addSubcommand(subLine);
    }
    ErrorReporter errors = new ErrorReporter(ctx);
    cl.setOut(ctx.out())
        .setErr(ctx.err())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(errors)
        .setParameterExceptionHandler(errors)
        .setExecutionStrategy(
            parseResult -> {
              // again now: picocli hands writers only to subcommands present when they are set,
              // and the app adds its own after this method returns
              cl.setOut(ctx.out()).setErr(ctx.err());
              // picocli lets a word it cannot match through when --help is also given, and would
              // print the top-level help for a command that does not exist
              for (CommandLine.ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
                if (!pr.unmatched().isEmpty()) {
                  throw new CommandLine.ParameterException(
                      pr.commandSpec().commandLine(),
                      "unknown command \""
                          + pr.unmatched().get(0)
                          + "\" for \""
                          + pr.commandSpec().qualifiedName()
                          + "\"");
                }
              }
              try {
                return new CommandLine.RunLast().execute(parseResult);
              } finally {
                ctx.out().flush();
                ctx.err().flush();
              }
            });
    return cl;
  }
}
