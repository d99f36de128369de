package dev.meridian.controllers.propagation.render;

import java.util.Comparator;
import java.util.Objects;

/**
 * An object a workload's pods need, in the workload's namespace.
 *
 * @param kind {@value #CONFIG_MAP}, {@value #SECRET}, {@value #SERVICE_ACCOUNT} or {@value #PVC}
 * @param optional every reference to it says {@code optional: true}: the pods start without it
 */
public record Dependency(String kind, String name, boolean optional)
    implements Comparable<Dependency> {
  public static final String CONFIG_MAP = "ConfigMap";
  public static final String SECRET = "Secret";
  public static final String SERVICE_ACCOUNT = "ServiceAccount";
  public static final String PVC = "PersistentVolumeClaim";

  private static final Comparator<Dependency> ORDER =
      Comparator.comparing(Dependency::kind)
          .thenComparing(Dependency::name)
          .thenComparing(Dependency::optional);

  public Dependency {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
  }

  /** A required dependency. */
  public Dependency(String kind, String name) {
    this(kind, name, false);
  }

  @Override
  public int compareTo(Dependency o) {
    return ORDER.compare(this, o);
  }
}
