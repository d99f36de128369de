package dev.meridian.members.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.members.MemberException;
import dev.meridian.members.MemberTimeouts;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The factory, without any cluster. */
class KubernetesMembersTest {

  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static String kubeconfigFor(String server) {
    return KubeconfigTest.VALID.replace("https://127.0.0.1:6443", server);
  }

  @Test
  void aBadKubeconfigFailsAtConnectWithOneLine() {
    try (KubernetesMembers members = KubernetesMembers.create()) {
      // When / Then
      assertThatThrownBy(() -> members.connect("east", KubeconfigTest.VALID, "west"))
          .isInstanceOfSatisfying(
              MemberException.class,
              e -> assertThat(e.reason()).isEqualTo(MemberException.Reason.CONFIGURATION))
          .hasMessage("kubeconfig has no context \"west\" (it has [east-admin, east-anon])");
      assertThat(members.members()).isEmpty();
    }
  }

  @Test
  void connectingSendsNothingAndProbingAClosedPortFailsFast() throws IOException {
    // Given
    String server = "https://127.0.0.1:" + closedPort();
    MemberTimeouts timeouts = MemberTimeouts.DEFAULT;
    try (KubernetesMembers members = KubernetesMembers.create()) {
      // When
      KubernetesMember member = members.connect("east", kubeconfigFor(server), null, timeouts);
      long start = System.nanoTime();
      Throwable failure = null;
      try {
        member.probe();
      } catch (MemberException e) {
        failure = e;
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      // Then
      assertThat(members.members()).containsExactly(member);
      assertThat(failure)
          .isInstanceOfSatisfying(
              MemberException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(MemberException.Reason.UNREACHABLE);
                assertThat(e.getMessage()).startsWith("cannot reach " + server);
              });
      assertThat(took).isLessThan(timeouts.connect());
    }
  }

  @Test
  void closingTheFactoryClosesItsMembers() throws IOException {
    // Given
    KubernetesMembers members = KubernetesMembers.create();
    KubernetesMember member =
        members.connect("east", kubeconfigFor("https://127.0.0.1:" + closedPort()), null);

    // When
    members.close();

    // Then
    assertThatThrownBy(member::probe)
        .isInstanceOfSatisfying(
            MemberException.class,
            e -> assertThat(e.reason()).isEqualTo(MemberException.Reason.CLOSED));
    assertThatThrownBy(() -> members.connect("x", KubeconfigTest.VALID, null))
        .isInstanceOf(MemberException.class);
  }
}
