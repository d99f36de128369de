package dev.meridian.api.network;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.api.FieldError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks of a {@code GlobalRoute} that its schema cannot express: regular expressions compile,
 * durations parse, a filter carries the one object its {@code type} names, a rule either redirects
 * or has backends, backends of each kind carry their own fields, rule names are unique. Every
 * finding names its field path. A route that does not pass never reaches a gateway.
 */
public final class GlobalRouteValidator {
  private static final List<String> FILTER_FIELDS =
      List.of(
          "requestHeaderModifier",
          "responseHeaderModifier",
          "requestRedirect",
          "urlRewrite",
          "requestMirror");

  private GlobalRouteValidator() {}

  /** Every problem of the route's spec; empty when it is fine. Expects a schema-valid object. */
  public static List<FieldError> validate(JsonNode route) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode spec = route.path("spec");
    Set<String> names = new HashSet<>();
    JsonNode rules = spec.path("rules");
    for (int r = 0; r < rules.size(); r++) {
      String path = "spec.rules[" + r + "]";
      JsonNode rule = rules.get(r);
      String name = rule.path("name").asText("");
      if (!name.isEmpty() && !names.add(name)) {
        errors.add(
            new FieldError(
                path + ".name", FieldError.Reason.FieldValueDuplicate, "Duplicate value: " + name));
      }
      rule(rule, path, errors);
    }
    JsonNode lb = spec.path("loadBalancing").path("sessionPersistence");
    duration(lb, "absoluteTimeout", "spec.loadBalancing.sessionPersistence", errors);
    if (lb.path("type").asText("").equals("Cookie") && !lb.hasNonNull("cookieName")) {
      errors.add(FieldError.required("spec.loadBalancing.sessionPersistence.cookieName"));
    }
    JsonNode hc = spec.path("healthCheck");
    Duration interval = duration(hc, "interval", "spec.healthCheck", errors);
    Duration timeout = duration(hc, "timeout", "spec.healthCheck", errors);
    if (interval != null && interval.isZero()) {
      errors.add(FieldError.invalid("spec.healthCheck.interval", "must be more than 0"));
    }
    if (interval != null && timeout != null && timeout.compareTo(interval) > 0) {
      errors.add(
          FieldError.invalid(
              "spec.healthCheck.timeout", "must not be longer than spec.healthCheck.interval"));
    }
    JsonNode od = spec.path("outlierDetection");
    Duration base = duration(od, "baseEjectionTime", "spec.outlierDetection", errors);
    Duration max = duration(od, "maxEjectionTime", "spec.outlierDetection", errors);
    if (base != null && max != null && max.compareTo(base) < 0) {
      errors.add(
          FieldError.invalid(
              "spec.outlierDetection.maxEjectionTime",
              "must not be shorter than spec.outlierDetection.baseEjectionTime"));
    }
    JsonNode policies = spec.path("residency").path("policies");
    Set<String> values = new HashSet<>();
    for (int p = 0; p < policies.size(); p++) {
      String path = "spec.residency.policies[" + p + "]";
      if (policies.get(p).path("residencyPolicy").asText("").isBlank()) {
        errors.add(FieldError.required(path + ".residencyPolicy"));
      }
      String value = policies.get(p).path("value").asText("");
      if (!values.add(value)) {
        errors.add(
            new FieldError(
                path + ".value",
                FieldError.Reason.FieldValueDuplicate,
                "Duplicate value: " + value));
      }
    }
    return errors;
  }

  private static void rule(JsonNode rule, String path, List<FieldError> errors) {
    JsonNode matches = rule.path("matches");
    boolean allPrefix = true;
    for (int m = 0; m < matches.size(); m++) {
      String at = path + ".matches[" + m + "]";
      JsonNode match = matches.get(m);
      JsonNode p = match.path("path");
      String type = p.path("type").asText("PathPrefix");
      allPrefix &= type.equals("PathPrefix");
      if (p.has("value")) {
        String value = p.path("value").asText();
        if (type.equals("RegularExpression")) {
          regex(value, at + ".path.value", errors);
        } else if (!value.startsWith("/")) {
          errors.add(
              FieldError.invalid(at + ".path.value", "must be an absolute path (start with /)"));
        }
      }
      for (String field : List.of("headers", "queryParams")) {
        JsonNode list = match.path(field);
        Set<String> seen = new HashSet<>();
        for (int h = 0; h < list.size(); h++) {
          JsonNode one = list.get(h);
          String name = one.path("name").asText("");
          String key = field.equals("headers") ? name.toLowerCase(java.util.Locale.ROOT) : name;
          if (!seen.add(key)) {
            errors.add(
                new FieldError(
                    at + "." + field + "[" + h + "].name",
                    FieldError.Reason.FieldValueDuplicate,
                    "Duplicate value: " + name));
          }
          if (one.path("type").asText("Exact").equals("RegularExpression")) {
            regex(one.path("value").asText(""), at + "." + field + "[" + h + "].value", errors);
          }
        }
      }
    }
    JsonNode filters = rule.path("filters");
    Map<String, Integer> firstOfType = new HashMap<>();
    for (int f = 0; f < filters.size(); f++) {
      String at = path + ".filters[" + f + "]";
      JsonNode filter = filters.get(f);
      String type = filter.path("type").asText("");
      String field = fieldOf(type);
      for (String other : FILTER_FIELDS) {
        if (!other.equals(field) && filter.has(other)) {
          errors.add(
              FieldError.invalid(
                  at + "." + other,
                  "must not be set when type is " + type + " (set " + field + ")"));
        }
      }
      if (field != null && !filter.hasNonNull(field)) {
        errors.add(
            FieldError.invalid(at + "." + field, "Required value: type " + type + " needs it"));
      }
      if (!type.equals("RequestMirror") && firstOfType.putIfAbsent(type, f) != null) {
        errors.add(
            FieldError.invalid(
                at + ".type",
                type
                    + " may appear only once in a rule (first at filters["
                    + firstOfType.get(type)
                    + "])"));
      }
      JsonNode pathModifier =
          type.equals("RequestRedirect")
              ? filter.path("requestRedirect").path("path")
              : filter.path("urlRewrite").path("path");
      if ((type.equals("RequestRedirect") || type.equals("URLRewrite"))
          && !pathModifier.isMissingNode()) {
        pathModifier(pathModifier, at + "." + field + ".path", allPrefix, errors);
      }
      if (type.equals("RequestMirror")) {
        backend(
            filter.path("requestMirror").path("backendRef"),
            at + ".requestMirror.backendRef",
            errors);
      }
    }
    boolean redirects = firstOfType.containsKey("RequestRedirect");
    if (redirects && firstOfType.containsKey("URLRewrite")) {
      errors.add(
          FieldError.invalid(
              path + ".filters[" + firstOfType.get("URLRewrite") + "]",
              "a rule cannot both redirect (RequestRedirect) and rewrite (URLRewrite)"));
    }
    JsonNode backends = rule.path("backendRefs");
    if (redirects && backends.size() > 0) {
      errors.add(
          FieldError.forbidden(
              path + ".backendRefs",
              "a rule with a RequestRedirect is answered by the gateway: no backendRefs"));
    } else if (!redirects && backends.size() == 0) {
      errors.add(FieldError.required(path + ".backendRefs"));
    }
    for (int b = 0; b < backends.size(); b++) {
      backend(backends.get(b), path + ".backendRefs[" + b + "]", errors);
    }
    JsonNode timeouts = rule.path("timeouts");
    Duration request = duration(timeouts, "request", path + ".timeouts", errors);
    Duration backend = duration(timeouts, "backendRequest", path + ".timeouts", errors);
    if (request != null && backend != null && !request.isZero() && backend.compareTo(request) > 0) {
      errors.add(
          FieldError.invalid(
              path + ".timeouts.backendRequest",
              "must not be longer than " + path + ".timeouts.request"));
    }
  }

  private static void pathModifier(
      JsonNode modifier, String at, boolean allPrefix, List<FieldError> errors) {
    String type = modifier.path("type").asText("");
    String wanted = type.equals("ReplacePrefixMatch") ? "replacePrefixMatch" : "replaceFullPath";
    String unwanted = type.equals("ReplacePrefixMatch") ? "replaceFullPath" : "replacePrefixMatch";
    if (!modifier.hasNonNull(wanted)) {
      errors.add(
          FieldError.invalid(at + "." + wanted, "Required value: type " + type + " needs it"));
    }
    if (modifier.has(unwanted)) {
      errors.add(FieldError.invalid(at + "." + unwanted, "must not be set when type is " + type));
    }
    if (type.equals("ReplacePrefixMatch") && !allPrefix) {
      errors.add(
          FieldError.invalid(
              at + ".type",
              "ReplacePrefixMatch needs every match of the rule to be a PathPrefix match"));
    }
  }

  private static void backend(JsonNode ref, String at, List<FieldError> errors) {
    String kind = ref.path("kind").asText("Service");
    if (kind.equals("Static")) {
      if (!ref.has("endpoints")) {
        errors.add(FieldError.required(at + ".endpoints"));
      }
      for (String field : List.of("port", "clusters")) {
        if (ref.has(field)) {
          errors.add(
              FieldError.forbidden(
                  at + "." + field, "not used by kind Static (each endpoint has its own)"));
        }
      }
    } else {
      if (!ref.has("port")) {
        errors.add(FieldError.required(at + ".port"));
      }
      if (ref.has("endpoints")) {
        errors.add(
            FieldError.forbidden(
                at + ".endpoints", "kind Service takes its endpoints from the member clusters"));
      }
    }
  }

  private static Duration duration(
      JsonNode parent, String field, String at, List<FieldError> errors) {
    JsonNode v = parent.path(field);
    if (!v.isTextual()) {
      return null;
    }
    try {
      return GatewayDuration.parse(v.asText());
    } catch (IllegalArgumentException e) {
      errors.add(FieldError.invalid(at + "." + field, e.getMessage()));
      return null;
    }
  }

  private static void regex(String value, String at, List<FieldError> errors) {
    try {
      Pattern.compile(value);
    } catch (PatternSyntaxException e) {
      errors.add(
          FieldError.invalid(
              at,
              "not a valid regular expression: "
                  + e.getDescription()
                  + " near index "
                  + e.getIndex()));
    }
  }

  private static String fieldOf(String type) {
    return switch (type) {
      case "RequestHeaderModifier" -> "requestHeaderModifier";
      case "ResponseHeaderModifier" -> "responseHeaderModifier";
      case "RequestRedirect" -> "requestRedirect";
      case "URLRewrite" -> "urlRewrite";
      case "RequestMirror" -> "requestMirror";
      default -> null;
    };
  }
}
