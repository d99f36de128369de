package dev.meridian.app;

import dev.meridian.cli.MeridianCommand;
import dev.meridian.cli.internal.CliContext;
import dev.meridian.cli.internal.CliException;
import dev.meridian.hub.Hub;
import dev.meridian.hub.HubOptions;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;

/** The {@code meridian} command: the CLI plus the server commands (hub, demo). */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(
        run(
            new PrintWriter(System.out, true, StandardCharsets.UTF_8),
            new PrintWriter(System.err, true, StandardCharsets.UTF_8),
            System.getenv(),
            args));
  }

  /** Runs one command line; returns the exit code. */
  public static int run(PrintWriter out, PrintWriter err, Map<String, String> env, String... args) {
    return commandLine(out, err, env).execute(args);
  }

  /**
   * The {@code meridian} command line with every subcommand, printing to {@code out}/{@code err}.
   */
  static CommandLine commandLine(PrintWriter out, PrintWriter err, Map<String, String> env) {
    CommandLine cl = MeridianCommand.newCommandLine(out, err, env);
    cl.addSubcommand("hub", new HubCommand());
    cl.addSubcommand("demo", new DemoCommand());
    cl.addSubcommand(
        "gateway",
        new GatewayCommand(new CliContext(out, err, env, System.in, java.time.Clock.systemUTC())));
    // streams set after adding, so the server commands print where the CLI's do
    cl.setOut(out);
    cl.setErr(err);
    return cl;
  }

  /** What one command line printed, and its exit code. */
  public record Result(int code, String out, String err) {}

  /** Runs one command line with {@code env} as its environment, capturing what it prints. */
  public static Result capture(Map<String, String> env, String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    int code = run(new PrintWriter(out, true), new PrintWriter(err, true), env, args);
    return new Result(code, out.toString(), err.toString());
  }

  /** Starts a hub, turning start-up failures (port taken, data directory locked) into one line. */
  static Hub startHub(HubOptions options) {
    try {
      return Hub.start(options);
    } catch (IllegalStateException | java.io.UncheckedIOException e) {
      throw new CliException(e.getMessage(), e);
    }
  }
}
