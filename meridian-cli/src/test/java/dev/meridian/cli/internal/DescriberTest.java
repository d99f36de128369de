package dev.meridian.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.api.ResourceCodec;
import dev.meridian.api.ResourceTypes;
import org.junit.jupiter.api.Test;

class DescriberTest {
  static final ResourceTypes TYPES = ResourceTypes.standard();

  @Test
  void describesAClusterWithItsConditionsAsATable() {
    // Given a cluster with status
    String yaml =
        """
        apiVersion: fleet.meridian.dev/v1alpha1
        kind: Cluster
        metadata:
          name: eu-west-1
          labels: {ring: prod, tier: gold}
          annotations: {note: hello}
          creationTimestamp: "2026-03-05T11:00:00Z"
          resourceVersion: "7"
          generation: 1
          finalizers: [fleet.meridian.dev/cleanup]
        spec:
          connection: {simulated: {apiLatencyMs: 20}}
        status:
          conditions:
            - {type: Ready, status: "True", reason: Healthy, lastTransitionTime: "2026-03-05T11:00:05Z"}
          kubernetesVersion: v1.37.2
        """;

    // When it is described
    String text =
        Describer.describe(
            ResourceCodec.readDocuments(yaml).get(0), TYPES.resolve("mc").orElseThrow());

    // Then
    assertThat(text)
        .isEqualTo(
            """
            Name:         eu-west-1
            Labels:       ring=prod
                          tier=gold
            Annotations:  note: hello
            API Version:  fleet.meridian.dev/v1alpha1
            Kind:         Cluster
            Metadata:
              Creation Timestamp:  2026-03-05T11:00:00Z
              Resource Version:    7
              Generation:          1
              Finalizers:          fleet.meridian.dev/cleanup
            Spec:
              connection:
                simulated:
                  apiLatencyMs: 20
            Status:
              Conditions:
                TYPE    STATUS   REASON    MESSAGE   LAST TRANSITION
                Ready   True     Healthy             2026-03-05T11:00:05Z
              kubernetesVersion: v1.37.2
            """);
  }

  @Test
  void showsOnlyTheSizesOfASecretsValues() {
    // Given a secret
    String yaml =
        "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: d}\ntype: Opaque\n"
            + "data: {password: c2VjcmV0LXZhbHVl}\nstringData: {token: plain-token}\n";

    // When it is described
    String text =
        Describer.describe(
            ResourceCodec.readDocuments(yaml).get(0), TYPES.resolve("secret").orElseThrow());

    // Then the values never appear
    assertThat(text)
        .contains("Type:         Opaque\n")
        .contains("Data:\n  password: 12 bytes\n")
        .contains("String Data:\n  token: 11 bytes\n")
        .doesNotContain("c2VjcmV0", "secret-value", "plain-token");
  }
}
