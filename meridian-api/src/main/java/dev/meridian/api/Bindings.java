package dev.meridian.api;

import java.util.Locale;

/**
 * Where the hub keeps a template's {@code ResourceBinding} (and its Works), and the finalizers of
 * {@code DeleteOptions.propagationPolicy}, which the hub and the propagation controller share.
 */
public final class Bindings {
  /**
   * The finalizer of {@code propagationPolicy: Foreground}: the template stays (marked) until its
   * copies are deleted from every member.
   */
  public static final String FOREGROUND_DELETION = "foregroundDeletion";

  /**
   * The finalizer of {@code propagationPolicy: Orphan}: the template goes, its copies stay in the
   * members, no longer managed.
   */
  public static final String ORPHAN = "orphan";

  private Bindings() {}

  /** The binding's namespace: the template's, or {@code meridian-system} for cluster-scoped. */
  public static String namespace(String templateNamespace) {
    return templateNamespace.isEmpty() ? "meridian-system" : templateNamespace;
  }

  /** The binding's name: {@code NAME-KIND}, at most 200 characters. */
  public static String name(String templateName, String kind) {
    String n = templateName + "-" + kind.toLowerCase(Locale.ROOT);
    return n.length() <= 200 ? n : n.substring(0, 200);
  }
}
