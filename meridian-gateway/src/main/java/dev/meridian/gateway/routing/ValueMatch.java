package dev.meridian.gateway.routing;

import java.util.regex.Pattern;

/**
 * A header or query parameter match: {@code name} with a value equal to {@code value} ({@code
 * Exact}) or matching {@code pattern} ({@code RegularExpression}); one of the two is null.
 */
public record ValueMatch(String name, String value, Pattern pattern) {

  public static ValueMatch of(String type, String name, String value) {
    return switch (type == null ? "Exact" : type) {
      case "Exact" -> new ValueMatch(name, value, null);
      case "RegularExpression" -> new ValueMatch(name, null, Pattern.compile(value));
      default -> throw new IllegalArgumentException("unknown match type: " + type);
    };
  }

  public boolean test(String actual) {
    if (actual == null) {
      return false;
    }
    return pattern == null ? value.equals(actual) : pattern.matcher(actual).matches();
  }
}
