package dev.meridian.controllers.propagation.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the pod spec inside the built-in workload kinds, so that image, env and args overriders and
 * dependency discovery read containers from one place.
 *
 * <p>Only kinds whose layout Kubernetes defines are understood; a custom resource with a pod
 * template is not guessed at (an {@code imageOverrider} with {@code predicate.path} or a {@code
 * plaintext} patch reaches into it explicitly).
 */
final class PodTemplates {
  private static final String[] POD = {"spec"};
  private static final String[] TEMPLATE = {"spec", "template", "spec"};
  private static final String[] CRON_JOB = {"spec", "jobTemplate", "spec", "template", "spec"};

  private PodTemplates() {}

  /** The pod spec node itself (edits to it edit {@code obj}), if the kind has one. */
  static Optional<ObjectNode> podSpec(JsonNode obj) {
    String[] path = path(Kinds.of(obj));
    if (path == null) {
      return Optional.empty();
    }
    JsonNode n = obj;
    for (String field : path) {
      n = n.path(field);
    }
    return n instanceof ObjectNode o ? Optional.of(o) : Optional.empty();
  }

  /**
   * The pod's containers then init containers, and ephemeral containers when asked (they exist only
   * on Pods and are added by {@code kubectl debug}, so overriders leave them alone).
   */
  static List<ObjectNode> containers(ObjectNode podSpec, boolean withEphemeral) {
    List<ObjectNode> out = new ArrayList<>();
    addObjects(podSpec.path("containers"), out);
    addObjects(podSpec.path("initContainers"), out);
    if (withEphemeral) {
      addObjects(podSpec.path("ephemeralContainers"), out);
    }
    return out;
  }

  private static void addObjects(JsonNode array, List<ObjectNode> out) {
    for (JsonNode n : array) {
      if (n instanceof ObjectNode o) {
        out.add(o);
      }
    }
  }

  private static String[] path(String kind) {
    return switch (kind) {
      case Kinds.POD -> POD;
      case Kinds.DEPLOYMENT,
          Kinds.STATEFUL_SET,
          Kinds.DAEMON_SET,
          Kinds.REPLICA_SET,
          Kinds.REPLICATION_CONTROLLER,
          Kinds.JOB ->
          TEMPLATE;
      case Kinds.CRON_JOB -> CRON_JOB;
      default -> null;
    };
  }
}
