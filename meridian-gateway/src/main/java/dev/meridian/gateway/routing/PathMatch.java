package dev.meridian.gateway.routing;

import java.util.regex.Pattern;

/** A rule's path match, compiled; {@link #match} answers how much of the path it matched. */
public sealed interface PathMatch {

  PathMatch ANY = new Prefix("/");

  /**
   * The length of the matched prefix (what {@code ReplacePrefixMatch} replaces; the whole path for
   * an exact or regular-expression match), or -1 when the path does not match.
   */
  int match(String path);

  /** Gateway API precedence rank of the type: Exact 0, PathPrefix 1, RegularExpression 2. */
  int rank();

  /** The number of characters of the match value, the tie-breaker within a type. */
  int length();

  static PathMatch of(String type, String value) {
    return switch (type == null ? "PathPrefix" : type) {
      case "Exact" -> new Exact(value);
      case "PathPrefix" -> new Prefix(value);
      case "RegularExpression" -> new Regex(Pattern.compile(value));
      default -> throw new IllegalArgumentException("unknown path match type: " + type);
    };
  }

  /** The path is exactly the value. */
  record Exact(String value) implements PathMatch {
    @Override
    public int match(String path) {
      return path.equals(value) ? path.length() : -1;
    }

    @Override
    public int rank() {
      return 0;
    }

    @Override
    public int length() {
      return value.length();
    }
  }

  /**
   * Prefix by path segments: {@code /api} (or {@code /api/}) matches {@code /api} and {@code
   * /api/x}, not {@code /apix}.
   */
  record Prefix(String value) implements PathMatch {
    public Prefix {
      if (!value.startsWith("/")) {
        throw new IllegalArgumentException("path prefix must start with /: " + value);
      }
      // the trailing slash is ignored, and "/" becomes "" which matches everything
      while (value.endsWith("/")) {
        value = value.substring(0, value.length() - 1);
      }
    }

    @Override
    public int match(String path) {
      int n = value.length();
      if (n == 0) {
        return 0;
      }
      if (!path.startsWith(value)) {
        return -1;
      }
      return path.length() == n || path.charAt(n) == '/' ? n : -1;
    }

    @Override
    public int rank() {
      return 1;
    }

    @Override
    public int length() {
      return value.length();
    }
  }

  /** The whole path matches the regular expression. */
  record Regex(Pattern pattern) implements PathMatch {
    @Override
    public int match(String path) {
      return pattern.matcher(path).matches() ? path.length() : -1;
    }

    @Override
    public int rank() {
      return 2;
    }

    @Override
    public int length() {
      return pattern.pattern().length();
    }
  }
}
