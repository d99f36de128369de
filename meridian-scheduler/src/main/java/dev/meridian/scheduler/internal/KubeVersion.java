package dev.meridian.scheduler.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes version as clusters report it ({@code v1.37.2}, {@code v1.28.3-eks-a1b2c3}, {@code
 * 1.29}); only major, minor and patch count.
 *
 * @param parts how many components were written (2 for {@code 1.30}, 3 for {@code 1.30.2})
 */
public record KubeVersion(int major, int minor, int patch, int parts) {
  private static final Pattern VERSION =
      Pattern.compile("v?([0-9]{1,4})\\.([0-9]{1,4})(?:\\.([0-9]{1,6}))?([-+].*)?");

  /** The version written in {@code text}, or null when it is not one. */
  public static KubeVersion parse(String text) {
    if (text == null) {
      return null;
    }
    Matcher m = VERSION.matcher(text.strip());
    if (!m.matches()) {
      return null;
    }
    boolean hasPatch = m.group(3) != null;
    return new KubeVersion(
        Integer.parseInt(m.group(1)),
        Integer.parseInt(m.group(2)),
        hasPatch ? Integer.parseInt(m.group(3)) : 0,
        hasPatch ? 3 : 2);
  }

  /**
   * Compares this (a cluster's version) with a bound, on the components the bound wrote: {@code
   * 1.30.5} compares equal to the bound {@code 1.30}.
   */
  public int compareToBound(KubeVersion bound) {
    int c = Integer.compare(major, bound.major);
    if (c == 0) {
      c = Integer.compare(minor, bound.minor);
    }
    if (c == 0 && bound.parts == 3) {
      c = Integer.compare(patch, bound.patch);
    }
    return c;
  }

  /** Whether this version is at least {@code major.minor}. */
  public boolean atLeast(int major, int minor) {
    return this.major > major || this.major == major && this.minor >= minor;
  }
}
