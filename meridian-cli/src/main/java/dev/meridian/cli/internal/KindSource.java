package dev.meridian.cli.internal;

import dev.meridian.api.ResourceType;
import java.util.List;

/** Where the kinds a hub serves are learnt from: its discovery API, or a fixed table in tests. */
public interface KindSource {

  /**
   * Every kind served, at each group's preferred version.
   *
   * @throws Unavailable when the hub cannot tell (no discovery, a broken answer)
   */
  List<ResourceType> all();

  /**
   * The kinds of one group version such as {@code apps/v1} or {@code v1}.
   *
   * @throws Unavailable when the hub cannot tell, including when it does not serve the version
   */
  List<ResourceType> groupVersion(String apiVersion);

  /** Discovery failed in a way that a built-in table can stand in for. */
  final class Unavailable extends RuntimeException {
    public Unavailable(String message) {
      super(message, null, false, false);
    }
  }
}
