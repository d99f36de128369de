package dev.meridian.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubEndpointTest {
  @TempDir Path dir;

  static CliContext env(Map<String, String> env) {
    PrintWriter sink = new PrintWriter(new StringWriter());
    return new CliContext(
        sink, sink, env, java.io.InputStream.nullInputStream(), Clock.systemUTC());
  }

  @Test
  void takesTheTokenFromTheFlagThenTheEnvTokenThenTheEnvTokenFile() throws Exception {
    // Given a token in each place
    Path flagFile = Files.writeString(dir.resolve("flag.token"), "from-flag\n");
    Path envFile = Files.writeString(dir.resolve("env.token"), "from-env-file\n");
    Map<String, String> all =
        Map.of("MERIDIAN_TOKEN", "from-env", "MERIDIAN_TOKEN_FILE", envFile.toString());

    // Then each wins over those after it
    assertThat(HubEndpoint.resolve(null, flagFile, null, env(all)).token()).contains("from-flag");
    assertThat(HubEndpoint.resolve(null, null, null, env(all)).token()).contains("from-env");
    assertThat(
            HubEndpoint.resolve(
                    null, null, null, env(Map.of("MERIDIAN_TOKEN_FILE", envFile.toString())))
                .token())
        .contains("from-env-file");
    assertThat(HubEndpoint.resolve(null, null, null, env(Map.of())).token()).isEmpty();
  }

  @Test
  void takesTheUrlFromTheFlagThenTheEnvThenTheDefault() {
    Map<String, String> e = Map.of("MERIDIAN_HUB", "http://hub.example:9000/");
    assertThat(HubEndpoint.resolve("https://other:1", null, null, env(e)).url())
        .isEqualTo("https://other:1");
    assertThat(HubEndpoint.resolve(null, null, null, env(e)).url())
        .isEqualTo("http://hub.example:9000");
    assertThat(HubEndpoint.resolve(null, null, null, env(Map.of())).url())
        .isEqualTo("https://127.0.0.1:7800");
  }

  @Test
  void refusesUnusableUrlsAndTokenFilesInOneLine() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.token"), "\n");
    Path twoLines = Files.writeString(dir.resolve("two.token"), "a\nb\n");
    assertThatThrownBy(() -> HubEndpoint.resolve("ftp://x", null, null, env(Map.of())))
        .hasMessageStartingWith("invalid hub URL \"ftp://x\"");
    assertThatThrownBy(() -> HubEndpoint.resolve("127.0.0.1:7800", null, null, env(Map.of())))
        .hasMessageStartingWith("invalid hub URL");
    assertThatThrownBy(() -> HubEndpoint.resolve(null, dir.resolve("missing"), null, env(Map.of())))
        .hasMessage("cannot read token file " + dir.resolve("missing") + ": no such file");
    assertThatThrownBy(() -> HubEndpoint.resolve(null, empty, null, env(Map.of())))
        .hasMessage("token file " + empty + " is empty");
    assertThatThrownBy(() -> HubEndpoint.resolve(null, twoLines, null, env(Map.of())))
        .hasMessage("token file " + twoLines + " does not hold a single printable token");
  }

  @Test
  void trustsTheCaFromTheFlagThenTheEnvThenBesideTheTokenFile() throws Exception {
    // Given a hub's data directory with its token and CA, and another CA elsewhere
    Path hubDir = Files.createDirectories(dir.resolve("hub"));
    Path token = Files.writeString(hubDir.resolve("admin.token"), "t\n");
    Files.writeString(hubDir.resolve("ca.crt"), "pem");
    Path other = Files.writeString(dir.resolve("other.crt"), "pem");
    Map<String, String> tokenOnly = Map.of("MERIDIAN_TOKEN_FILE", token.toString());
    Map<String, String> both =
        Map.of("MERIDIAN_TOKEN_FILE", token.toString(), "MERIDIAN_CA_FILE", other.toString());

    // Then
    assertThat(HubEndpoint.resolve(null, null, other, env(tokenOnly)).caFile()).contains(other);
    assertThat(HubEndpoint.resolve(null, null, null, env(both)).caFile()).contains(other);
    assertThat(HubEndpoint.resolve(null, null, null, env(tokenOnly)).caFile())
        .contains(hubDir.resolve("ca.crt"));
    assertThat(HubEndpoint.resolve(null, null, null, env(Map.of("MERIDIAN_TOKEN", "t"))).caFile())
        .isEmpty();
  }

  @Test
  void sendsATokenOverPlainHttpOnlyToThisMachine() {
    Map<String, String> token = Map.of("MERIDIAN_TOKEN", "t");
    assertThat(HubEndpoint.resolve("http://127.0.0.1:7800", null, null, env(token)).token())
        .contains("t");
    assertThat(HubEndpoint.resolve("http://[::1]:7800", null, null, env(token)).token())
        .contains("t");
    assertThat(HubEndpoint.resolve("http://hub.example:80", null, null, env(Map.of())).token())
        .isEmpty();
    assertThatThrownBy(() -> HubEndpoint.resolve("http://hub.example:80", null, null, env(token)))
        .hasMessage("refusing to send the token over plain HTTP to hub.example; use https://");
  }

  @Test
  void neverShowsTheTokenWhenPrinted() {
    HubEndpoint e = HubEndpoint.resolve(null, null, null, env(Map.of("MERIDIAN_TOKEN", "s3cret")));
    assertThat(e.toString()).doesNotContain("s3cret");
  }
}
