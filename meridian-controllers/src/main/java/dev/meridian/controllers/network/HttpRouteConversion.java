package dev.meridian.controllers.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.FieldError;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.ResourceTypes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a Gateway API {@code HTTPRoute} whose {@code parentRefs} name Meridian gateways into the
 * {@code GlobalRoute} those gateways serve. The two share the shape of their rules, so most fields
 * are carried over as they are; every field Meridian cannot honour is a problem with its path, and
 * a route with any problem converts to nothing (never a route that silently drops a field). Pure:
 * no I/O.
 */
public final class HttpRouteConversion {
  public static final String API_VERSION = "gateway.networking.k8s.io/v1";
  public static final String KIND = "HTTPRoute";

  /** The {@code parentRefs} group and kind that name a {@code meridian gateway --name}. */
  public static final String PARENT_GROUP = ResourceTypes.NETWORK;

  public static final String PARENT_KIND = "Gateway";

  /** Written into {@code status.parents[].controllerName}. */
  public static final String CONTROLLER_NAME = "network.meridian.dev/gateway-controller";

  /** The annotation on a converted GlobalRoute naming its origin, {@code HTTPRoute/NS/NAME}. */
  public static final String ORIGIN = "network.meridian.dev/origin";

  /** The label on a converted GlobalRoute carrying the HTTPRoute's name. */
  public static final String ROUTE_LABEL = "network.meridian.dev/http-route";

  private static final String PREFIX = "httproute-";
  private static final Set<String> RULE_FIELDS =
      Set.of("name", "matches", "filters", "backendRefs", "timeouts", "retry");
  private static final Set<String> FILTER_TYPES =
      Set.of(
          "RequestHeaderModifier",
          "ResponseHeaderModifier",
          "RequestRedirect",
          "URLRewrite",
          "RequestMirror");

  private HttpRouteConversion() {}

  /** The outcome: a GlobalRoute, or the fields that stop it. */
  public record Result(ObjectNode globalRoute, List<FieldError> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /** The GlobalRoute's name for an HTTPRoute's. */
  public static String globalRouteName(String httpRouteName) {
    String n = PREFIX + httpRouteName;
    return n.length() <= 253 ? n : n.substring(0, 253);
  }

  /** Whether any parentRef names a Meridian gateway (else the route is another controller's). */
  public static boolean targetsMeridian(JsonNode httpRoute) {
    for (JsonNode p : httpRoute.path("spec").path("parentRefs")) {
      if (isMeridianParent(p)) {
        return true;
      }
    }
    return false;
  }

  static boolean isMeridianParent(JsonNode parentRef) {
    return PARENT_GROUP.equals(parentRef.path("group").asText())
        && PARENT_KIND.equals(parentRef.path("kind").asText(PARENT_KIND));
  }

  public static Result convert(ObjectNode httpRoute) {
    List<FieldError> problems = new ArrayList<>();
    JsonNode spec = httpRoute.path("spec");
    String ns = Meta.namespace(httpRoute);
    ObjectNode gr = ResourceCodec.newObject();
    gr.put("apiVersion", ResourceTypes.NETWORK + "/" + ResourceTypes.MERIDIAN_VERSION);
    gr.put("kind", "GlobalRoute");
    ObjectNode meta = gr.putObject("metadata");
    meta.put("name", globalRouteName(Meta.name(httpRoute)));
    meta.put("namespace", ns);
    meta.putObject("labels").put(ROUTE_LABEL, Meta.name(httpRoute));
    meta.putObject("annotations").put(ORIGIN, KIND + "/" + ns + "/" + Meta.name(httpRoute));
    meta.putArray("ownerReferences")
        .addObject()
        .put("apiVersion", API_VERSION)
        .put("kind", KIND)
        .put("name", Meta.name(httpRoute))
        .put("uid", Meta.uid(httpRoute))
        .put("controller", true);
    ObjectNode out = gr.putObject("spec");

    ArrayNode gateways = out.putArray("gateways");
    JsonNode parents = spec.path("parentRefs");
    for (int i = 0; i < parents.size(); i++) {
      JsonNode p = parents.get(i);
      if (!isMeridianParent(p)) {
        continue;
      }
      for (String f : List.of("sectionName", "port")) {
        if (p.has(f)) {
          problems.add(
              FieldError.notSupported(
                  "spec.parentRefs[" + i + "]." + f,
                  "not supported yet: a Meridian gateway has no listeners to choose from"));
        }
      }
      gateways.add(p.path("name").asText());
    }
    if (spec.has("hostnames")) {
      out.set("hostnames", spec.get("hostnames").deepCopy());
    }
    ArrayNode rules = out.putArray("rules");
    JsonNode in = spec.path("rules");
    if (in.isEmpty()) {
      problems.add(
          FieldError.notSupported(
              "spec.rules", "not supported yet: a route without rules (Gateway API's 404 rule)"));
    }
    for (int r = 0; r < in.size(); r++) {
      rules.add(rule(in.get(r), "spec.rules[" + r + "]", ns, problems));
    }
    return new Result(problems.isEmpty() ? gr : null, List.copyOf(problems));
  }

  private static ObjectNode rule(JsonNode rule, String path, String ns, List<FieldError> problems) {
    ObjectNode out = ResourceCodec.newObject();
    for (Iterator<Map.Entry<String, JsonNode>> it = rule.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (!RULE_FIELDS.contains(f.getKey())) {
        problems.add(
            FieldError.notSupported(path + "." + f.getKey(), "not supported yet by Meridian"));
        continue;
      }
      switch (f.getKey()) {
        case "filters" ->
            out.set("filters", filters(f.getValue(), path + ".filters", ns, problems));
        case "backendRefs" ->
            out.set("backendRefs", backendRefs(f.getValue(), path + ".backendRefs", ns, problems));
        case "retry" -> {
          ObjectNode retry = out.putObject("retry");
          for (Iterator<Map.Entry<String, JsonNode>> rf = f.getValue().fields(); rf.hasNext(); ) {
            Map.Entry<String, JsonNode> e = rf.next();
            if (e.getKey().equals("attempts") || e.getKey().equals("codes")) {
              retry.set(e.getKey(), e.getValue().deepCopy());
            } else {
              problems.add(
                  FieldError.notSupported(
                      path + ".retry." + e.getKey(), "not supported yet by Meridian"));
            }
          }
        }
        default -> out.set(f.getKey(), f.getValue().deepCopy());
      }
    }
    return out;
  }

  private static ArrayNode filters(
      JsonNode filters, String path, String ns, List<FieldError> problems) {
    ArrayNode out = ResourceCodec.newArray();
    for (int i = 0; i < filters.size(); i++) {
      JsonNode f = filters.get(i);
      String p = path + "[" + i + "]";
      String type = f.path("type").asText();
      if (!FILTER_TYPES.contains(type)) {
        problems.add(
            FieldError.notSupported(p + ".type", "not supported yet by Meridian: " + type));
        continue;
      }
      if (type.equals("RequestMirror")) {
        JsonNode m = f.path("requestMirror");
        ObjectNode copy = out.addObject().put("type", type);
        ObjectNode mirror = copy.putObject("requestMirror");
        if (m.has("fraction")) {
          problems.add(
              FieldError.notSupported(
                  p + ".requestMirror.fraction", "not supported yet: use percent"));
        }
        if (m.has("percent")) {
          mirror.set("percent", m.get("percent").deepCopy());
        }
        ObjectNode ref =
            service(m.path("backendRef"), p + ".requestMirror.backendRef", ns, problems);
        ref.remove("weight");
        mirror.set("backendRef", ref);
      } else {
        out.add(f.deepCopy());
      }
    }
    return out;
  }

  private static ArrayNode backendRefs(
      JsonNode refs, String path, String ns, List<FieldError> problems) {
    ArrayNode out = ResourceCodec.newArray();
    for (int i = 0; i < refs.size(); i++) {
      out.add(service(refs.get(i), path + "[" + i + "]", ns, problems));
    }
    return out;
  }

  /** A Gateway API {@code BackendRef} as a GlobalRoute {@code kind: Service} backendRef. */
  private static ObjectNode service(
      JsonNode ref, String path, String ns, List<FieldError> problems) {
    String group = ref.path("group").asText("");
    String kind = ref.path("kind").asText("Service");
    if (!group.isEmpty() || !kind.equals("Service")) {
      problems.add(
          FieldError.notSupported(
              path + ".kind",
              "not supported yet: only Services are backends (got "
                  + (group.isEmpty() ? "" : group + "/")
                  + kind
                  + ")"));
    }
    if (ref.has("namespace") && !ref.path("namespace").asText().equals(ns)) {
      problems.add(
          FieldError.notSupported(
              path + ".namespace",
              "not supported yet: a backend in another namespace (ReferenceGrant)"));
    }
    if (ref.has("filters")) {
      problems.add(
          FieldError.notSupported(
              path + ".filters", "not supported yet: filters per backend (put them on the rule)"));
    }
    if (!ref.has("port")) {
      problems.add(FieldError.required(path + ".port"));
    }
    ObjectNode out = ResourceCodec.newObject();
    out.put("kind", "Service");
    out.put("name", ref.path("name").asText());
    if (ref.has("port")) {
      out.set("port", ref.get("port").deepCopy());
    }
    if (ref.has("weight")) {
      out.set("weight", ref.get("weight").deepCopy());
    }
    return out;
  }
}
