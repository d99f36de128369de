package dev.meridian.members.simulated;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The checks an API server would make that matter to Meridian, worded as the API server words them,
 * so that a manifest a real member rejects is rejected by a simulated one with the same message.
 * Not a complete copy of Kubernetes validation.
 */
final class SimulatedValidation {
  private static final Pattern DNS1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

  private SimulatedValidation() {}

  /** {@code Deployment.apps}, {@code ConfigMap}: how error messages name a kind. */
  static String qualifiedKind(ResourceType type) {
    return type.group().isEmpty() ? type.kind() : type.kind() + "." + type.group();
  }

  /** The API server's 422 message for {@code errors}, or null when there are none. */
  static String invalid(ResourceType type, String name, List<String> errors) {
    if (errors.isEmpty()) {
      return null;
    }
    String detail = errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]";
    return qualifiedKind(type) + " \"" + name + "\" is invalid: " + detail;
  }

  /** Errors in a new or changed object. */
  static List<String> validate(ResourceType type, ObjectNode obj) {
    List<String> errors = new ArrayList<>();
    checkName(type, Meta.name(obj), errors);
    String kind = type.kind();
    if (type.group().equals("apps")
        && (kind.equals("Deployment")
            || kind.equals("StatefulSet")
            || kind.equals("DaemonSet")
            || kind.equals("ReplicaSet"))) {
      JsonNode spec = obj.path("spec");
      checkSelector(spec, errors);
      checkPodSpec(spec.path("template").path("spec"), "spec.template.spec", errors);
      checkReplicas(spec, errors);
    } else if (type.group().equals("batch") && kind.equals("Job")) {
      checkPodSpec(obj.path("spec").path("template").path("spec"), "spec.template.spec", errors);
    } else if (type.group().equals("batch") && kind.equals("CronJob")) {
      checkPodSpec(
          obj.path("spec").path("jobTemplate").path("spec").path("template").path("spec"),
          "spec.jobTemplate.spec.template.spec",
          errors);
    } else if (type.group().isEmpty() && kind.equals("Pod")) {
      checkPodSpec(obj.path("spec"), "spec", errors);
    } else if (type.group().isEmpty() && kind.equals("Service")) {
      JsonNode spec = obj.path("spec");
      boolean needsPorts =
          !"ExternalName".equals(spec.path("type").asText())
              && !"None".equals(spec.path("clusterIP").asText());
      if (needsPorts && (!spec.path("ports").isArray() || spec.path("ports").isEmpty())) {
        errors.add("spec.ports: Required value");
      }
    }
    return errors;
  }

  /** Errors in changing {@code existing} into {@code next}: fields fixed once set. */
  static List<String> immutable(ResourceType type, JsonNode existing, JsonNode next) {
    List<String> errors = new ArrayList<>();
    String kind = type.kind();
    if (type.group().equals("apps") && !kind.equals("ReplicaSet")) {
      JsonNode before = existing.path("spec").path("selector");
      JsonNode after = next.path("spec").path("selector");
      if (!before.equals(after)) {
        errors.add("spec.selector: Invalid value: " + after + ": field is immutable");
      }
    } else if (type.group().equals("batch") && kind.equals("Job")) {
      if (!existing.path("spec").path("template").equals(next.path("spec").path("template"))) {
        errors.add("spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable");
      }
    } else if (type.group().isEmpty() && kind.equals("Service")) {
      String before = existing.path("spec").path("clusterIP").asText("");
      String after = next.path("spec").path("clusterIP").asText("");
      if (!after.isEmpty() && !after.equals(before)) {
        errors.add(
            "spec.clusterIPs[0]: Invalid value: []string{\""
                + after
                + "\"}: may not change once set");
      }
    }
    return errors;
  }

  private static void checkName(ResourceType type, String name, List<String> errors) {
    boolean label = type.group().isEmpty() && type.kind().equals("Namespace");
    boolean dns1035 = type.group().isEmpty() && type.kind().equals("Service");
    if (dns1035) {
      if (name.length() > 63 || !DNS1035_LABEL.matcher(name).matches()) {
        errors.add(
            "metadata.name: Invalid value: \""
                + name
                + "\": a DNS-1035 label must consist of lower case alphanumeric characters or"
                + " '-', start with an alphabetic character, and end with an alphanumeric"
                + " character (e.g. 'my-name',  or 'abc-123', regex used for validation is"
                + " '[a-z]([-a-z0-9]*[a-z0-9])?')");
      }
    } else if (label) {
      if (name.length() > 63 || !DNS1123_LABEL.matcher(name).matches()) {
        errors.add(
            "metadata.name: Invalid value: \""
                + name
                + "\": a lowercase RFC 1123 label must consist of lower case alphanumeric"
                + " characters or '-', and must start and end with an alphanumeric character"
                + " (e.g. 'my-name',  or '123-abc', regex used for validation is"
                + " '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
      }
    } else if (name.length() > 253 || !DNS1123_SUBDOMAIN.matcher(name).matches()) {
      errors.add(
          "metadata.name: Invalid value: \""
              + name
              + "\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric"
              + " characters, '-' or '.', and must start and end with an alphanumeric character"
              + " (e.g. 'example.com', regex used for validation is"
              + " '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
    }
  }

  private static void checkSelector(JsonNode spec, List<String> errors) {
    JsonNode selector = spec.path("selector");
    if (!selector.isObject() || selector.isEmpty()) {
      errors.add("spec.selector: Required value");
      return;
    }
    JsonNode labels = spec.path("template").path("metadata").path("labels");
    for (Map.Entry<String, JsonNode> e : selector.path("matchLabels").properties()) {
      if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
        errors.add(
            "spec.template.metadata.labels: Invalid value: "
                + goMap(labels)
                + ": `selector` does not match template `labels`");
        return;
      }
    }
  }

  private static void checkReplicas(JsonNode spec, List<String> errors) {
    if (spec.has("replicas") && spec.path("replicas").asLong(0) < 0) {
      errors.add(
          "spec.replicas: Invalid value: "
              + spec.path("replicas").asLong()
              + ": must be greater than or equal to 0");
    }
  }

  private static void checkPodSpec(JsonNode podSpec, String path, List<String> errors) {
    JsonNode containers = podSpec.path("containers");
    if (!containers.isArray() || containers.isEmpty()) {
      errors.add(path + ".containers: Required value");
      return;
    }
    for (int i = 0; i < containers.size(); i++) {
      JsonNode c = containers.get(i);
      if (c.path("name").asText("").isEmpty()) {
        errors.add(path + ".containers[" + i + "].name: Required value");
      }
      if (c.path("image").asText("").isEmpty()) {
        errors.add(path + ".containers[" + i + "].image: Required value");
      }
    }
  }

  /** A string map as Go prints it in validation messages. */
  private static String goMap(JsonNode labels) {
    Map<String, String> sorted = new TreeMap<>();
    labels.properties().forEach(e -> sorted.put(e.getKey(), e.getValue().asText()));
    StringBuilder b = new StringBuilder("map[string]string{");
    boolean first = true;
    for (Map.Entry<String, String> e : sorted.entrySet()) {
      if (!first) {
        b.append(", ");
      }
      first = false;
      b.append('"').append(e.getKey()).append("\":\"").append(e.getValue()).append('"');
    }
    return b.append('}').toString();
  }
}
