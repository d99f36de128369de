package dev.meridian.cli;

import dev.meridian.cli.internal.CliContext;
import dev.meridian.cli.internal.ClientVersion;
import dev.meridian.cli.internal.CommandLines;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code meridian} command: a kubectl-like client of the hub ({@code apply}, {@code get},
 * {@code describe}, {@code delete}, {@code completion}, {@code version}).
 *
 * <p>Build it with {@link #newCommandLine}, add further subcommands with {@link
 * CommandLine#addSubcommand}, then {@link CommandLine#execute}. Failures print one line, {@code
 * error: MESSAGE}, on stderr and exit 1; usage errors exit 2.
 */
@Command(
    name = "meridian",
    mixinStandardHelpOptions = true,
    versionProvider = MeridianCommand.Version.class,
    synopsisSubcommandLabel = "COMMAND",
    description = "Manage a fleet of Kubernetes clusters through the Meridian hub.",
    footer = {
      "",
      "Environment: MERIDIAN_HUB (hub URL), MERIDIAN_TOKEN (bearer token),",
      "MERIDIAN_TOKEN_FILE (file holding the token)."
    })
public final class MeridianCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /**
   * A command line writing to {@code out} and {@code err} and reading settings ({@code
   * MERIDIAN_HUB}, {@code MERIDIAN_TOKEN}, {@code MERIDIAN_TOKEN_FILE}) from {@code env} instead of
   * the process environment. Standard input is the process's.
   */
  public static CommandLine newCommandLine(
      PrintWriter out, PrintWriter err, Map<String, String> env) {
    return CommandLines.newCommandLine(new CliContext(out, err, env, System.in, Clock.systemUTC()));
  }

  /** Runs {@code meridian ARGS} on the process's streams and environment; returns the exit code. */
  public static int run(String... args) {
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8));
    return newCommandLine(out, err, System.getenv()).execute(args);
  }

  public static void main(String... args) {
    System.exit(run(args));
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** {@code meridian --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"meridian " + ClientVersion.VERSION};
    }
  }
}
