package dev.meridian.api;

/**
 * Kubernetes name rules, checked character by character: they run on every label, annotation key
 * and name of every write, where a regular expression costs several times more.
 */
public final class Names {
  private Names() {}

  /** RFC 1123 label: namespaces, cluster names. At most 63 characters. */
  public static boolean isDnsLabel(String s) {
    return s != null && s.length() <= 63 && isLabel(s, 0, s.length());
  }

  /** RFC 1123 subdomain: most object names. At most 253 characters. */
  public static boolean isDnsSubdomain(String s) {
    if (s == null || s.isEmpty() || s.length() > 253) {
      return false;
    }
    int start = 0;
    while (true) {
      int dot = s.indexOf('.', start);
      int end = dot < 0 ? s.length() : dot;
      if (!isLabel(s, start, end)) {
        return false;
      }
      if (dot < 0) {
        return true;
      }
      start = dot + 1;
    }
  }

  /**
   * A label value or the name part of a label key: alphanumerics, with {@code -_.} inside, at most
   * 63 characters (empty is not a name).
   */
  public static boolean isQualifiedNamePart(String s) {
    int n = s.length();
    if (n == 0 || n > 63 || !alnum(s.charAt(0)) || !alnum(s.charAt(n - 1))) {
      return false;
    }
    for (int i = 1; i < n - 1; i++) {
      char c = s.charAt(i);
      if (!alnum(c) && c != '-' && c != '_' && c != '.') {
        return false;
      }
    }
    return true;
  }

  /** [a-z0-9]([-a-z0-9]*[a-z0-9])? over s[from, to). */
  private static boolean isLabel(String s, int from, int to) {
    if (to <= from || !lowerAlnum(s.charAt(from)) || !lowerAlnum(s.charAt(to - 1))) {
      return false;
    }
    for (int i = from + 1; i < to - 1; i++) {
      char c = s.charAt(i);
      if (!lowerAlnum(c) && c != '-') {
        return false;
      }
    }
    return true;
  }

  private static boolean lowerAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }

  private static boolean alnum(char c) {
    return lowerAlnum(c) || (c >= 'A' && c <= 'Z');
  }
}
