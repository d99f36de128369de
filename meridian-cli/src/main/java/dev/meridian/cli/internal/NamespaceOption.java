package dev.meridian.cli.internal;

import dev.meridian.api.ResourceType;
import picocli.CommandLine.Option;

/** {@code -n/--namespace} of the commands that name objects: get, describe, delete. */
public final class NamespaceOption {
  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NS",
      description = "Namespace. Default: default.")
  String namespace;

  /** The namespace as given, or null. */
  String given() {
    return namespace;
  }

  /** Where objects of {@code type} are looked for: the given namespace, else {@code default}. */
  String of(ResourceType type) {
    if (!type.namespaced()) {
      return "";
    }
    return namespace == null ? "default" : namespace;
  }
}
