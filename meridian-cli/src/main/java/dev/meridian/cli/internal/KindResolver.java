package dev.meridian.cli.internal;

import dev.meridian.api.ResourceType;
import dev.meridian.api.ResourceTypes;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves what a user typed ({@code deploy}, {@code deployments.apps}, {@code Cluster}, {@code
 * mc}) or what a manifest declares ({@code apps/v1} {@code Deployment}) to a kind the hub serves.
 * Asks the hub's discovery at most once per group version and invocation; when discovery is
 * unavailable it falls back to {@link ResourceTypes#standard()}, and the hub has the last word on
 * the request itself.
 */
public final class KindResolver {
  private final KindSource source;
  private ResourceTypes all;
  private final Map<String, ResourceTypes> byGroupVersion = new HashMap<>();
  private final ResourceTypes fallback = ResourceTypes.standard();

  public KindResolver(KindSource source) {
    this.source = source;
  }

  /** The kind a user typed on the command line. */
  public ResourceType resolve(String typed) {
    if (all == null) {
      all = discovered(source::all);
    }
    return all.resolve(typed)
        .orElseThrow(
            () ->
                new CliException(
                    "the server doesn't have a resource type \"" + OneLine.safe(typed) + "\""));
  }

  /** The kind of a manifest, or empty when the hub does not serve it. */
  public Optional<ResourceType> forKind(String apiVersion, String kind) {
    ResourceTypes types =
        byGroupVersion.computeIfAbsent(apiVersion, gv -> discovered(() -> source.groupVersion(gv)));
    return types.byKind(apiVersion, kind);
  }

  private ResourceTypes discovered(java.util.function.Supplier<List<ResourceType>> lookup) {
    try {
      return registry(lookup.get());
    } catch (KindSource.Unavailable e) {
      return fallback;
    }
  }

  /**
   * A registry holding exactly {@code types}, so that resolution follows the API module's rules.
   */
  static ResourceTypes registry(Collection<ResourceType> types) {
    ResourceTypes registry = ResourceTypes.standard();
    // meridian-api offers no empty registry; start from the standard one and clear it
    registry.all().forEach(registry::unregister);
    types.forEach(registry::register);
    return registry;
  }
}
