package dev.meridian.members.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.members.MemberException;
import org.junit.jupiter.api.Test;

/** Kubeconfig problems are reported in one line, before anything is sent. */
class KubeconfigTest {
  static final String VALID =
      """
      apiVersion: v1
      kind: Config
      clusters:
      - name: east
        cluster: {server: "https://127.0.0.1:6443", certificate-authority-data: "aGVsbG8="}
      users:
      - name: admin
        user: {token: s3cr3t-token}
      contexts:
      - name: east-admin
        context: {cluster: east, user: admin, namespace: shop}
      - name: east-anon
        context: {cluster: east}
      current-context: east-admin
      """;

  private static void assertRefused(String yaml, String context, String message) {
    assertThatThrownBy(() -> Kubeconfig.parse("east", yaml, context))
        .isInstanceOfSatisfying(
            MemberException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(MemberException.Reason.CONFIGURATION);
              assertThat(e.cluster()).isEqualTo("east");
              assertThat(e.getMessage()).doesNotContain("\n");
            })
        .hasMessageContaining(message);
  }

  @Test
  void readsTheCurrentContext() {
    // When
    Kubeconfig k = Kubeconfig.parse("east", VALID, null);

    // Then
    assertThat(k.context()).isEqualTo("east-admin");
    assertThat(k.server()).isEqualTo("https://127.0.0.1:6443");
    assertThat(k.namespace()).isEqualTo("shop");
    assertThat(k.token()).isEqualTo("s3cr3t-token");
    assertThat(k.caData()).isEqualTo("aGVsbG8=");
  }

  @Test
  void readsANamedContextAndDefaultsTheNamespace() {
    // When
    Kubeconfig k = Kubeconfig.parse("east", VALID, "east-anon");

    // Then
    assertThat(k.context()).isEqualTo("east-anon");
    assertThat(k.namespace()).isEqualTo("default");
    assertThat(k.token()).isNull();
  }

  @Test
  void neverPrintsCredentials() {
    // When
    String printed = Kubeconfig.parse("east", VALID, null).toString();

    // Then
    assertThat(printed).contains("https://127.0.0.1:6443").doesNotContain("s3cr3t");
  }

  @Test
  void refusesTextThatIsNotYaml() {
    assertRefused("clusters: [unclosed", null, "kubeconfig is not valid YAML");
    assertRefused("   ", null, "kubeconfig is empty");
  }

  @Test
  void refusesAMissingContext() {
    assertRefused(
        VALID, "west", "kubeconfig has no context \"west\" (it has [east-admin, east-anon])");
    assertRefused(
        VALID.replace("current-context: east-admin", ""),
        null,
        "kubeconfig has no current-context");
  }

  @Test
  void refusesAClusterWithoutServer() {
    assertRefused(
        VALID.replace("server: \"https://127.0.0.1:6443\", ", ""),
        null,
        "kubeconfig cluster \"east\" has no server");
    assertRefused(
        VALID.replace("https://127.0.0.1:6443", "ftp://x"), null, "which is not an http(s) URL");
  }

  @Test
  void refusesAContextNamingAnUndefinedClusterOrUser() {
    assertRefused(
        VALID.replace("{cluster: east, user: admin", "{cluster: west, user: admin"),
        null,
        "names cluster \"west\", which the kubeconfig does not define");
    assertRefused(
        VALID.replace("user: admin, namespace", "user: root, namespace"),
        null,
        "names user \"root\", which the kubeconfig does not define");
  }

  @Test
  void refusesCredentialsThatWouldRunCommandsOrReadFilesOnTheHub() {
    assertRefused(
        VALID.replace(
            "user: {token: s3cr3t-token}",
            "user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: aws}}"),
        null,
        "uses an exec credential plugin, which the hub does not run");
    assertRefused(
        VALID.replace("user: {token: s3cr3t-token}", "user: {client-key: /etc/shadow}"),
        null,
        "refers to the local file client-key");
    assertRefused(
        VALID.replace("certificate-authority-data: \"aGVsbG8=\"", "certificate-authority: ca.crt"),
        null,
        "refers to the local file certificate-authority");
  }

  @Test
  void refusesBrokenEmbeddedData() {
    assertRefused(
        VALID.replace("aGVsbG8=", "not base64!"),
        null,
        "has certificate-authority-data that is not valid base64");
    assertRefused(
        VALID.replace("user: {token: s3cr3t-token}", "user: {client-certificate-data: aGVsbG8=}"),
        null,
        "has client-certificate-data without client-key-data");
  }
}
