package dev.meridian.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.api.KubernetesOpenApi;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.ResourceType;
import dev.meridian.api.ResourceTypes;
import dev.meridian.app.Main;
import dev.meridian.members.RealClusters;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI documents the hub ships for its built-in kinds ({@code test-clusters/openapi.sh}
 * writes them) are exactly what a kube-apiserver of the pinned version serves, and they cover every
 * built-in kind the hub serves: the strategic merge patch's keys cannot drift from Kubernetes'.
 */
class OpenApiOfTheHubTest {
  @TempDir Path dir;

  @Test
  void theShippedDocumentsAreThoseOfThePinnedKubeApiserver() throws Exception {
    Set<String> groupVersions = new LinkedHashSet<>();
    for (ResourceType t : ResourceTypes.standard().all()) {
      // (not Kubernetes' own: the MCS API's and Karmada's kinds)
      if (!t.meridian()
          && !t.group().equals("multicluster.x-k8s.io")
          && !t.group().equals(dev.meridian.api.karmada.KarmadaPolicies.GROUP)) {
        groupVersions.add(t.group() + "/" + t.version());
        assertThat(KubernetesOpenApi.builtin().schema(t.group(), t.version(), t.kind()))
            .as("the schema of built-in kind %s %s", t.apiVersion(), t.kind())
            .isPresent();
      }
    }
    try (RealClusters real = RealClusters.start(1)) {
      Path kubeconfig = real.get(0).kubeconfig();
      for (String gv : groupVersions) {
        String[] parts = gv.split("/", 2);
        String path = parts[0].isEmpty() ? "/openapi/v3/api/" + parts[1] : "/openapi/v3/apis/" + gv;
        Main.Result r = E2e.kubectl(dir, real.kubectl(), kubeconfig, "get", "--raw", path);
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode served = ResourceCodec.JSON.readTree(r.out());
        assertThat(KubernetesOpenApi.builtin().document(parts[0], parts[1]))
            .as("the shipped document of %s (regenerate with test-clusters/openapi.sh)", path)
            .contains((com.fasterxml.jackson.databind.node.ObjectNode) served);
      }
    }
  }
}
