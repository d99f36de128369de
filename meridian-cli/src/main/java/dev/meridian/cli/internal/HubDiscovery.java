package dev.meridian.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.api.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Learns the kinds a hub serves from {@code /api}, {@code /apis} and each group version's {@code
 * APIResourceList}, as kubectl does. Failing to reach the hub or to authenticate is reported as
 * such; any other failure is {@link KindSource.Unavailable}, so that callers fall back to the
 * built-in table.
 */
public final class HubDiscovery implements KindSource {
  private final HubClient hub;

  public HubDiscovery(HubClient hub) {
    this.hub = hub;
  }

  @Override
  public List<ResourceType> all() {
    List<ResourceType> out = new ArrayList<>();
    for (JsonNode v : fetch("/api").path("versions")) {
      out.addAll(groupVersion(v.asText()));
    }
    for (JsonNode g : fetch("/apis").path("groups")) {
      String preferred = g.path("preferredVersion").path("groupVersion").asText("");
      if (preferred.isEmpty() && g.path("versions").size() > 0) {
        preferred = g.path("versions").get(0).path("groupVersion").asText("");
      }
      if (!preferred.isEmpty()) {
        out.addAll(groupVersion(preferred));
      }
    }
    if (out.isEmpty()) {
      throw new Unavailable("the hub's discovery lists no kinds");
    }
    return out;
  }

  @Override
  public List<ResourceType> groupVersion(String apiVersion) {
    String path = apiVersion.contains("/") ? "/apis/" + apiVersion : "/api/" + apiVersion;
    return parseResourceList(fetch(path), apiVersion);
  }

  private JsonNode fetch(String path) {
    try {
      return hub.get(path);
    } catch (HubException e) {
      if (e.isAuthFailure()) {
        throw e;
      }
      throw new Unavailable(path + ": " + e.getMessage());
    } catch (HubClient.MalformedResponse e) {
      throw new Unavailable(path + ": " + e.getMessage());
    }
  }

  /** The kinds in an {@code APIResourceList}, skipping subresources such as {@code x/status}. */
  static List<ResourceType> parseResourceList(JsonNode list, String apiVersion) {
    String gv = list.path("groupVersion").asText(apiVersion);
    int slash = gv.indexOf('/');
    String group = slash < 0 ? "" : gv.substring(0, slash);
    String version = gv.substring(slash + 1);
    List<ResourceType> out = new ArrayList<>();
    for (JsonNode r : list.path("resources")) {
      String plural = r.path("name").asText("");
      String kind = r.path("kind").asText("");
      if (plural.isEmpty() || plural.contains("/") || kind.isEmpty()) {
        continue;
      }
      String singular = r.path("singularName").asText("");
      List<String> shortNames = new ArrayList<>();
      r.path("shortNames").forEach(s -> shortNames.add(s.asText()));
      out.add(
          new ResourceType(
              group,
              version,
              kind,
              plural,
              singular.isEmpty() ? kind.toLowerCase(Locale.ROOT) : singular,
              shortNames,
              r.path("namespaced").asBoolean(false),
              group.endsWith(".meridian.dev")));
    }
    return out;
  }
}
