package dev.meridian.members.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.members.ProbeResult;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/** Guesses which Kubernetes distribution a cluster runs, from traces vendors leave. */
final class Distributions {
  private Distributions() {}

  static String detect(String gitVersion, List<JsonNode> nodes) {
    String v = gitVersion.toLowerCase(Locale.ROOT);
    if (v.contains("+k3s")) {
      return "k3s";
    }
    if (v.contains("-eks-")) {
      return "eks";
    }
    if (v.contains("-gke.")) {
      return "gke";
    }
    for (JsonNode n : nodes) {
      if (hasLabelPrefix(n, "eks.amazonaws.com/")) {
        return "eks";
      }
      if (hasLabelPrefix(n, "cloud.google.com/gke-")) {
        return "gke";
      }
      if (hasLabelPrefix(n, "kubernetes.azure.com/")) {
        return "aks";
      }
      if (n.path("spec").path("providerID").asText("").startsWith("kind://")) {
        return "kind";
      }
      if (hasLabelPrefix(n, "k3s.io/")
          || "k3s".equals(labels(n).path("node.kubernetes.io/instance-type").asText())) {
        return "k3s";
      }
    }
    for (JsonNode n : nodes) {
      if (n.path("metadata").path("annotations").has("kubeadm.alpha.kubernetes.io/cri-socket")) {
        return "kubeadm";
      }
    }
    return ProbeResult.UNKNOWN;
  }

  private static JsonNode labels(JsonNode node) {
    return node.path("metadata").path("labels");
  }

  private static boolean hasLabelPrefix(JsonNode node, String prefix) {
    Iterator<String> it = labels(node).fieldNames();
    while (it.hasNext()) {
      if (it.next().startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
