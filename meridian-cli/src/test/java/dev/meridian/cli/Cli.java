package dev.meridian.cli;

import dev.meridian.cli.internal.CliContext;
import dev.meridian.cli.internal.CommandLines;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

/** Runs {@code meridian} in-process with captured output, as a user's shell would. */
public final class Cli {
  private Cli() {}

  /** Through the public factory, as the app module uses it. */
  public static CliResult run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        MeridianCommand.newCommandLine(new PrintWriter(out), new PrintWriter(err), env)
            .execute(args);
    return new CliResult(exit, out.toString(), err.toString());
  }

  /** With {@code stdin} as standard input (for {@code -f -}). */
  public static CliResult runWithStdin(Map<String, String> env, String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CliContext ctx =
        new CliContext(
            new PrintWriter(out),
            new PrintWriter(err),
            env,
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            Clock.systemUTC());
    int exit = CommandLines.newCommandLine(ctx).execute(args);
    return new CliResult(exit, out.toString(), err.toString());
  }
}
