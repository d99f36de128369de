package dev.meridian.cli.internal;

import dev.meridian.api.ResourceType;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How kubectl names an object in its messages: {@code deployment.apps/web}, {@code configmap/cfg}.
 */
public final class ObjectNames {
  /** Characters a URL path segment may hold unescaped, less {@code /} and {@code %}. */
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._~:@!$&'()*+,;=-]+");

  private ObjectNames() {}

  /**
   * Refuses a name or namespace that cannot be one URL path segment, such as {@code ../x}: it would
   * otherwise address a different object than the one the user named.
   */
  public static String checkSegment(String what, String value) {
    if (value.equals(".") || value.equals("..") || !SEGMENT.matcher(value).matches()) {
      throw new CliException("invalid " + what + " \"" + OneLine.safe(value) + "\"");
    }
    return value;
  }

  /** Checks the names and {@code -n} namespace given on a command line. */
  public static void checkArguments(List<String> names, String namespace) {
    names.forEach(n -> checkSegment("name", n));
    if (namespace != null) {
      checkSegment("namespace", namespace);
    }
  }

  /** {@code kind.group} in lower case, just {@code kind} for the core group. */
  public static String typeName(ResourceType type) {
    String kind = type.kind().toLowerCase(Locale.ROOT);
    return type.group().isEmpty() ? kind : kind + "." + type.group();
  }

  public static String of(ResourceType type, String name) {
    return typeName(type) + "/" + OneLine.safe(name);
  }
}
