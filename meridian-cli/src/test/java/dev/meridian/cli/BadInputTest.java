package dev.meridian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad input of every kind: each run exits non-zero with exactly one line on stderr, and leaves the
 * hub as it was.
 */
class BadInputTest {
  @RegisterExtension static final HubFixture hub = new HubFixture();

  private int configMapsBefore;

  @BeforeEach
  void countObjects() throws Exception {
    configMapsBefore = hub.count("/api/v1/configmaps");
  }

  private void assertOneErrorLineAndNothingChanged(CliResult result, String expected)
      throws Exception {
    assertThat(result.exitCode()).as(result.toString()).isNotZero();
    assertThat(result.errLines()).as(result.toString()).hasSize(1);
    assertThat(result.errLines().get(0)).startsWith("error: ").contains(expected);
    assertThat(result.err()).doesNotContain("\tat ", "Exception");
    assertThat(hub.count("/api/v1/configmaps")).isEqualTo(configMapsBefore);
  }

  @Test
  void malformedYamlAbortsBeforeAnythingIsSent() throws Exception {
    // Given a file whose first document is fine and whose second is broken
    Path file =
        hub.write(
            "broken.yaml", ApplyTest.configMap("before-broken", "x") + "---\nkind: [unclosed\n");

    // When it is applied
    CliResult result = hub.run("apply", "-f", file.toString());

    // Then nothing is created and the error names the file
    assertOneErrorLineAndNothingChanged(result, "broken.yaml");
  }

  @Test
  void anUnknownKindIsRefusedOnTheCommandLineAndInAFile() throws Exception {
    // Given a manifest of a kind the hub does not serve, beside a good one
    Path file =
        hub.write(
            "unknown.yaml",
            ApplyTest.configMap("before-unknown", "x")
                + "---\napiVersion: example.com/v1\nkind: Gizmo\nmetadata: {name: g}\n");

    // When it is applied, and when such a kind is asked for
    CliResult apply = hub.run("apply", "-f", file.toString());
    CliResult get = hub.run("get", "foo");

    // Then both fail with one line and nothing is created
    assertOneErrorLineAndNothingChanged(apply, "no matches for kind \"Gizmo\"");
    assertOneErrorLineAndNothingChanged(
        get, "error: the server doesn't have a resource type \"foo\"");
  }

  @Test
  void aManifestWithoutANameIsRefused() throws Exception {
    // Given a manifest without metadata.name after a good one
    Path file =
        hub.write(
            "nameless.yaml",
            ApplyTest.configMap("before-nameless", "x")
                + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {}\n");

    // When it is applied
    CliResult result = hub.run("apply", "-f", file.toString());

    // Then it is refused, naming the object and the missing field
    assertOneErrorLineAndNothingChanged(
        result, "nameless.yaml: object 2 (ConfigMap): metadata.name is required");
  }

  @Test
  void aBadSelectorIsRefusedLocally() throws Exception {
    // When a selector that does not parse is given
    CliResult result = hub.run("get", "cm", "-l", "app in (a,");

    // Then the parser's message is the error
    assertOneErrorLineAndNothingChanged(result, "invalid label selector");
    assertThat(result.exitCode()).isEqualTo(1);
  }

  @Test
  void aWrongTokenGetsTheHubsUnauthorizedMessage() throws Exception {
    // Given a token file with a token the hub did not issue
    Path wrong = hub.write("wrong.token", "not-the-token\n");

    // When a command runs with it (and the hub's CA, which is not beside that file)
    CliResult result =
        hub.run(
            "apply",
            "--token-file",
            wrong.toString(),
            "--ca-file",
            hub.caFile().toString(),
            "-f",
            hub.write("unauth.yaml", ApplyTest.configMap("unauth", "x")).toString());

    // Then the hub's 401 message is the one error line
    assertOneErrorLineAndNothingChanged(result, "Unauthorized");
  }

  @Test
  void aHubWhoseCaIsNotTrustedIsOneLine() throws Exception {
    // When the token comes from the environment, so no ca.crt is found beside a token file
    CliResult result =
        Cli.run(Map.of("MERIDIAN_HUB", hub.url(), "MERIDIAN_TOKEN", "t"), "get", "cm");

    // Then the certificate is refused and the fix is named
    assertOneErrorLineAndNothingChanged(
        result,
        "its certificate is not signed by a trusted CA (give the hub's ca.crt with --ca-file");
  }

  @Test
  void aMissingTokenFileIsOneLine() throws Exception {
    // When the token file named in the environment does not exist
    Map<String, String> env = new HashMap<>(hub.env());
    env.put("MERIDIAN_TOKEN_FILE", "/nonexistent/admin.token");
    CliResult result = Cli.run(env, "get", "cm");

    // Then that is the error
    assertOneErrorLineAndNothingChanged(
        result, "error: cannot read token file /nonexistent/admin.token: no such file");
  }

  @Test
  void anUnreachableHubIsOneLine() throws Exception {
    // Given a port nothing listens on
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }

    // When a command is pointed at it
    CliResult result = hub.run("get", "cm", "--hub", "http://127.0.0.1:" + port);

    // Then it says it cannot reach it
    assertOneErrorLineAndNothingChanged(
        result, "error: cannot reach the hub at http://127.0.0.1:" + port + ": connection refused");
  }

  @Test
  void usageErrorsExitWithTwo() throws Exception {
    // When a required argument is missing
    CliResult result = hub.run("get");

    // Then it is a usage error
    assertOneErrorLineAndNothingChanged(result, "KIND");
    assertThat(result.exitCode()).isEqualTo(2);
  }

  @Test
  void aNameThatWouldEscapeItsPathIsRefused() throws Exception {
    // When a name tries to climb out of its collection
    CliResult result = hub.run("delete", "cm", "../../namespaces/default");

    // Then it is refused before anything is sent
    assertOneErrorLineAndNothingChanged(result, "invalid name");
    assertThat(hub.raw("/api/v1/namespaces/default")).isNotNull();
  }
}
