package dev.meridian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The command line itself, without a hub: usage, errors, and extension by the app module. */
class CommandLineTest {
  static String unusedUrl() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return "http://127.0.0.1:" + s.getLocalPort();
    }
  }

  @Command(name = "hub", description = "Run a hub.")
  static final class FakeHubCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    boolean fail;

    @Override
    public Integer call() {
      if (fail) {
        throw new IllegalStateException("port 7800 is in use\n\tat somewhere");
      }
      spec.commandLine().getOut().println("hub started");
      return 0;
    }
  }

  @Test
  void theAppAddsSubcommandsThatShareOutputAndErrorHandling() {
    // Given the command line with an app subcommand added afterwards
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl =
        MeridianCommand.newCommandLine(new PrintWriter(out), new PrintWriter(err), Map.of());
    FakeHubCommand hub = new FakeHubCommand();
    cl.addSubcommand(hub);

    // When it runs, then fails
    int ok = cl.execute("hub");
    hub.fail = true;
    int failed = cl.execute("hub");

    // Then its output is captured and its failure is one error line
    assertThat(ok).isZero();
    assertThat(out.toString()).isEqualTo("hub started\n");
    assertThat(failed).isEqualTo(1);
    assertThat(err.toString())
        .isEqualTo(
            "error: internal error: IllegalStateException: port 7800 is in use  at somewhere\n");
  }

  @Test
  void anUnreachableHubIsOneLineWithItsUrl() throws IOException {
    // Given a hub URL nothing listens on
    String url = unusedUrl();

    // When any client command runs against it
    CliResult get = Cli.run(Map.of("MERIDIAN_HUB", url), "get", "clusters");
    CliResult describe = Cli.run(Map.of(), "describe", "mc", "x", "--hub", url);

    // Then each fails with the same one line
    for (CliResult r : new CliResult[] {get, describe}) {
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.out()).isEmpty();
      assertThat(r.err())
          .isEqualTo("error: cannot reach the hub at " + url + ": connection refused\n");
    }
  }

  @Test
  void usageErrorsExitWithTwoAndOneLine() {
    CliResult missing = Cli.run(Map.of(), "describe", "mc");
    CliResult unknownOption = Cli.run(Map.of(), "get", "mc", "--bogus");
    CliResult badOutput = Cli.run(Map.of(), "get", "mc", "-o", "xml");
    CliResult acrossNamespaces = Cli.run(Map.of(), "get", "deploy", "web", "-A");
    CliResult deleteNeither = Cli.run(Map.of(), "delete");
    for (CliResult r :
        new CliResult[] {missing, unknownOption, badOutput, acrossNamespaces, deleteNeither}) {
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
      assertThat(r.errLines()).as(r.toString()).hasSize(1);
      assertThat(r.err()).startsWith("error: ");
    }
    assertThat(badOutput.err())
        .contains("unknown output format \"xml\": expected one of table, wide, yaml, json, name");
  }

  @Test
  void helpForACommandThatDoesNotExistIsAnUnknownCommand() {
    // When
    CliResult withHelp = Cli.run(Map.of(), "frobnicate", "--help");
    CliResult withoutHelp = Cli.run(Map.of(), "frobnicate");
    CliResult realHelp = Cli.run(Map.of(), "get", "--help");
    // Then: as kubectl, a failure rather than the top-level help
    for (CliResult r : new CliResult[] {withHelp, withoutHelp}) {
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
      assertThat(r.out()).as(r.toString()).isEmpty();
      assertThat(r.errLines()).as(r.toString()).hasSize(1);
    }
    for (CliResult r : new CliResult[] {withHelp, withoutHelp}) {
      assertThat(r.err()).startsWith("error: unknown command \"frobnicate\" for \"meridian\"");
    }
    assertThat(realHelp.exitCode()).isZero();
    assertThat(realHelp.out()).contains("Usage: meridian get");
  }

  @Test
  void aBadSelectorFailsBeforeTheHubIsAsked() throws IOException {
    // Given no hub at all
    String url = unusedUrl();

    // When the selector is malformed
    CliResult r = Cli.run(Map.of("MERIDIAN_HUB", url), "get", "mc", "-l", "region notin eu");

    // Then the selector is the error, not the hub
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("error: invalid label selector \"region notin eu\" at position ")
        .doesNotContain("reach");
  }

  @Test
  void printsACompletionScriptCoveringEverySubcommand() {
    CliResult bash = Cli.run(Map.of(), "completion", "bash");
    CliResult zsh = Cli.run(Map.of(), "completion", "zsh");
    CliResult fish = Cli.run(Map.of(), "completion", "fish");
    assertThat(bash.exitCode()).isZero();
    assertThat(bash.out())
        .contains("complete -F _complete_meridian", "apply", "describe", "--ignore-not-found");
    assertThat(zsh.out()).isEqualTo(bash.out()).contains("bashcompinit");
    assertThat(fish.exitCode()).isEqualTo(2);
  }

  @Test
  void printsTheClientVersionAndUsage() throws IOException {
    CliResult version = Cli.run(Map.of(), "version", "--client");
    CliResult flag = Cli.run(Map.of(), "--version");
    CliResult withoutHub = Cli.run(Map.of("MERIDIAN_HUB", unusedUrl()), "version");
    CliResult bare = Cli.run(Map.of());
    assertThat(version.out()).matches("Client Version: \\d+\\.\\d+\\.\\d+.*\n");
    assertThat(flag.out()).startsWith("meridian ");
    assertThat(withoutHub.exitCode()).isZero();
    assertThat(withoutHub.outLines().get(1))
        .startsWith("Server Version: unavailable (cannot reach");
    assertThat(bare.exitCode()).isZero();
    assertThat(bare.out())
        .startsWith("Usage: meridian ")
        .contains("apply", "get", "describe", "delete");
  }
}
