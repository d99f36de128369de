package dev.meridian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The hub's warnings (Warning headers) are printed on stderr as kubectl prints them. */
class HubWarningsTest {
  @RegisterExtension static final HubFixture hub = new HubFixture();

  static String policy(String names) {
    return """
        apiVersion: policy.meridian.dev/v1alpha1
        kind: PropagationPolicy
        metadata: {name: web, namespace: default}
        spec:
          resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]
          placement:
            clusterAffinity: {names: %s}
        """
        .formatted(names);
  }

  @Test
  void applyPrintsTheHubsWarningsAndStillSucceeds() throws Exception {
    // Given a fleet of one cluster
    Path cluster = hub.write("eu.yaml", Manifests.simulatedCluster("eu-west-1", "eu-west", "DE"));
    assertThat(hub.run("apply", "-f", cluster.toString()).exitCode()).isZero();
    Path file = hub.write("policy.yaml", policy("[eu-west-1, mars-1]"));

    // When a policy naming a cluster the fleet does not have is created, then changed
    CliResult created = hub.run("apply", "-f", file.toString());
    hub.write("policy.yaml", policy("[mars-1, eu-west-1]"));
    CliResult configured = hub.run("apply", "-f", file.toString());
    // and then names only clusters of the fleet
    hub.write("policy.yaml", policy("[eu-west-1]"));
    CliResult known = hub.run("apply", "-f", file.toString());

    // Then each write says so on stderr, like kubectl, and succeeds
    assertThat(created.exitCode()).as(created.toString()).isZero();
    assertThat(created.out()).contains("web created");
    assertThat(created.errLines())
        .containsExactly(
            "Warning: spec.placement.clusterAffinity.names[1]: no cluster named \"mars-1\" is known");
    assertThat(configured.exitCode()).as(configured.toString()).isZero();
    assertThat(configured.out()).contains("web configured");
    assertThat(configured.errLines())
        .containsExactly(
            "Warning: spec.placement.clusterAffinity.names[0]: no cluster named \"mars-1\" is known");
    assertThat(known.exitCode()).as(known.toString()).isZero();
    assertThat(known.err()).isEmpty();
    assertThat(
            hub.raw(
                "/apis/policy.meridian.dev/v1alpha1/namespaces/default/propagationpolicies/web"))
        .isNotNull();
  }
}
