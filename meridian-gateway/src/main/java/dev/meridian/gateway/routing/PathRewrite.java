package dev.meridian.gateway.routing;

/**
 * The path part of a {@code URLRewrite} or {@code RequestRedirect}: {@code ReplaceFullPath} or
 * {@code ReplacePrefixMatch}, the latter computed against the prefix the rule matched, as the
 * Gateway API specifies ({@code /foo} → {@code /xyz} turns {@code /foo/bar} into {@code /xyz/bar};
 * → {@code /} turns it into {@code /bar}, and {@code /foo} into {@code /}).
 */
public record PathRewrite(boolean fullPath, String value) {

  public static PathRewrite of(String type, String fullPath, String prefix) {
    return switch (type) {
      case "ReplaceFullPath" -> new PathRewrite(true, fullPath);
      case "ReplacePrefixMatch" -> new PathRewrite(false, prefix);
      default -> throw new IllegalArgumentException("unknown path modifier type: " + type);
    };
  }

  /**
   * @param matchedLength how many characters of {@code path} the rule's prefix matched
   */
  public String apply(String path, int matchedLength) {
    if (fullPath) {
      return value;
    }
    String replacement = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    String rest = path.substring(Math.min(matchedLength, path.length()));
    if (!rest.isEmpty() && rest.charAt(0) != '/') {
      rest = "/" + rest;
    }
    String out = replacement + rest;
    return out.isEmpty() ? "/" : out;
  }
}
