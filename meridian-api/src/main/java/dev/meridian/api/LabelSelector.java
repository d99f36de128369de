package dev.meridian.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A Kubernetes label selector, from its string form ({@code tier=gold,env in (prod,staging),!beta})
 * or its object form ({@code matchLabels} / {@code matchExpressions}). An empty selector matches
 * everything.
 */
public record LabelSelector(List<Requirement> requirements) {

  public static final LabelSelector EVERYTHING = new LabelSelector(List.of());

  public LabelSelector {
    requirements = List.copyOf(requirements);
  }

  public enum Operator {
    EQUALS,
    NOT_EQUALS,
    IN,
    NOT_IN,
    EXISTS,
    DOES_NOT_EXIST
  }

  /** One clause of a selector. */
  public record Requirement(String key, Operator operator, Set<String> values) {
    public Requirement {
      values = Set.copyOf(values);
    }

    public boolean matches(Map<String, String> labels) {
      String v = labels.get(key);
      return switch (operator) {
        case EQUALS, IN -> v != null && values.contains(v);
        case NOT_EQUALS, NOT_IN -> v == null || !values.contains(v);
        case EXISTS -> v != null;
        case DOES_NOT_EXIST -> v == null;
      };
    }

    @Override
    public String toString() {
      String vs = new TreeSet<>(values).stream().collect(Collectors.joining(","));
      return switch (operator) {
        case EQUALS -> key + "=" + vs;
        case NOT_EQUALS -> key + "!=" + vs;
        case IN -> key + " in (" + vs + ")";
        case NOT_IN -> key + " notin (" + vs + ")";
        case EXISTS -> key;
        case DOES_NOT_EXIST -> "!" + key;
      };
    }
  }

  public boolean matches(Map<String, String> labels) {
    for (Requirement r : requirements) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  public boolean isEmpty() {
    return requirements.isEmpty();
  }

  @Override
  public String toString() {
    return requirements.stream().map(Requirement::toString).collect(Collectors.joining(","));
  }

  /**
   * Parses the string form used by {@code ?labelSelector=} and {@code -l}.
   *
   * @throws IllegalArgumentException naming the position and what was expected
   */
  public static LabelSelector parse(String text) {
    if (text == null || text.isBlank()) {
      return EVERYTHING;
    }
    return new Parser(text).parse();
  }

  /**
   * Reads the object form ({@code matchLabels}, {@code matchExpressions} with operators {@code In,
   * NotIn, Exists, DoesNotExist}); errors name the field path under {@code path}.
   */
  public static LabelSelector fromJson(JsonNode node, String path, List<FieldError> errors) {
    List<Requirement> reqs = new ArrayList<>();
    if (node == null || node.isMissingNode() || node.isNull()) {
      return EVERYTHING;
    }
    if (!node.isObject()) {
      errors.add(FieldError.invalid(path, "must be an object"));
      return EVERYTHING;
    }
    JsonNode ml = node.path("matchLabels");
    if (ml.isObject()) {
      ml.fields()
          .forEachRemaining(
              e -> {
                String p = path + ".matchLabels[" + e.getKey() + "]";
                checkKey(e.getKey(), p, errors);
                if (!e.getValue().isTextual() || !validValue(e.getValue().asText())) {
                  errors.add(FieldError.invalid(p, "must be a valid label value"));
                }
                reqs.add(
                    new Requirement(e.getKey(), Operator.EQUALS, Set.of(e.getValue().asText())));
              });
    } else if (!ml.isMissingNode() && !ml.isNull()) {
      errors.add(FieldError.invalid(path + ".matchLabels", "must be an object"));
    }
    JsonNode me = node.path("matchExpressions");
    if (me.isArray()) {
      for (int i = 0; i < me.size(); i++) {
        JsonNode e = me.get(i);
        String p = path + ".matchExpressions[" + i + "]";
        String key = e.path("key").asText("");
        if (key.isEmpty()) {
          errors.add(FieldError.required(p + ".key"));
        } else {
          checkKey(key, p + ".key", errors);
        }
        Set<String> values = new TreeSet<>();
        e.path("values").forEach(v -> values.add(v.asText()));
        String op = e.path("operator").asText("");
        Operator operator =
            switch (op) {
              case "In" -> Operator.IN;
              case "NotIn" -> Operator.NOT_IN;
              case "Exists" -> Operator.EXISTS;
              case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
              default -> null;
            };
        if (operator == null) {
          errors.add(
              FieldError.notSupported(
                  p + ".operator",
                  "Unsupported value: \""
                      + op
                      + "\": supported values: \"In\", \"NotIn\", \"Exists\", \"DoesNotExist\""));
          continue;
        }
        boolean needsValues = operator == Operator.IN || operator == Operator.NOT_IN;
        if (needsValues && values.isEmpty()) {
          errors.add(FieldError.required(p + ".values"));
        }
        if (!needsValues && !values.isEmpty()) {
          errors.add(
              FieldError.forbidden(p + ".values", "may not be specified when operator is " + op));
        }
        reqs.add(new Requirement(key, operator, values));
      }
    } else if (!me.isMissingNode() && !me.isNull()) {
      errors.add(FieldError.invalid(path + ".matchExpressions", "must be a list"));
    }
    return new LabelSelector(reqs);
  }

  /** Whether {@code key} is a valid label key: an optional DNS-subdomain prefix and a name. */
  public static boolean validKey(String key) {
    String name = key;
    int slash = key.indexOf('/');
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      name = key.substring(slash + 1);
      if (!Names.isDnsSubdomain(prefix)) {
        return false;
      }
    }
    return Names.isQualifiedNamePart(name);
  }

  /** Whether {@code value} is a valid label value (empty is allowed). */
  public static boolean validValue(String value) {
    return value.isEmpty() || Names.isQualifiedNamePart(value);
  }

  private static void checkKey(String key, String path, List<FieldError> errors) {
    if (!validKey(key)) {
      errors.add(FieldError.invalid(path, "\"" + key + "\" is not a valid label key"));
    }
  }

  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    LabelSelector parse() {
      List<Requirement> reqs = new ArrayList<>();
      while (true) {
        skipSpace();
        reqs.add(requirement());
        skipSpace();
        if (pos >= s.length()) {
          return new LabelSelector(reqs);
        }
        expect(',');
      }
    }

    private Requirement requirement() {
      if (peek() == '!') {
        pos++;
        skipSpace();
        return new Requirement(key(), Operator.DOES_NOT_EXIST, Set.of());
      }
      String key = key();
      skipSpace();
      if (pos >= s.length() || peek() == ',') {
        return new Requirement(key, Operator.EXISTS, Set.of());
      }
      if (s.startsWith("==", pos)) {
        pos += 2;
        return new Requirement(key, Operator.EQUALS, Set.of(value()));
      }
      if (s.startsWith("!=", pos)) {
        pos += 2;
        return new Requirement(key, Operator.NOT_EQUALS, Set.of(value()));
      }
      if (peek() == '=') {
        pos++;
        return new Requirement(key, Operator.EQUALS, Set.of(value()));
      }
      String word = word();
      Operator op =
          switch (word) {
            case "in" -> Operator.IN;
            case "notin" -> Operator.NOT_IN;
            default ->
                throw error(
                    "expected one of '=', '==', '!=', 'in', 'notin' after key \""
                        + key
                        + "\", found \""
                        + word
                        + "\"");
          };
      skipSpace();
      expect('(');
      Set<String> values = new TreeSet<>();
      while (true) {
        skipSpace();
        if (peek() == ')') {
          if (values.isEmpty()) {
            throw error("the set of values for \"" + key + "\" is empty");
          }
          pos++;
          break;
        }
        values.add(value());
        skipSpace();
        if (peek() == ',') {
          pos++;
        } else if (peek() != ')') {
          throw error("expected ',' or ')'");
        }
      }
      return new Requirement(key, op, values);
    }

    private String key() {
      int start = pos;
      while (pos < s.length() && isKeyChar(s.charAt(pos))) {
        pos++;
      }
      String key = s.substring(start, pos);
      if (key.isEmpty()) {
        throw error("expected a label key");
      }
      if (!validKey(key)) {
        throw error("\"" + key + "\" is not a valid label key");
      }
      return key;
    }

    private String value() {
      skipSpace();
      int start = pos;
      while (pos < s.length() && isValueChar(s.charAt(pos))) {
        pos++;
      }
      String v = s.substring(start, pos);
      if (!validValue(v)) {
        throw error("\"" + v + "\" is not a valid label value");
      }
      return v;
    }

    private String word() {
      int start = pos;
      while (pos < s.length() && Character.isLetter(s.charAt(pos))) {
        pos++;
      }
      return s.substring(start, pos);
    }

    private static boolean isKeyChar(char c) {
      return Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.' || c == '/';
    }

    private static boolean isValueChar(char c) {
      return Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.';
    }

    private char peek() {
      return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private void expect(char c) {
      if (peek() != c) {
        throw error("expected '" + c + "'");
      }
      pos++;
    }

    private void skipSpace() {
      while (pos < s.length() && s.charAt(pos) == ' ') {
        pos++;
      }
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException(
          "invalid label selector \"" + s + "\" at position " + pos + ": " + what);
    }
  }
}
