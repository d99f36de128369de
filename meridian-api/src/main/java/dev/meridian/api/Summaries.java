package dev.meridian.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One-line summaries of objects, shared by the hub's server-side tables (kubectl) and the columns
 * {@code meridian get} prints, so both say the same.
 */
public final class Summaries {
  private Summaries() {}

  /** The status of a condition of {@code obj}, or {@code Unknown} while it has none. */
  public static String conditionStatus(JsonNode obj, String type) {
    for (JsonNode c : obj.path("status").path("conditions")) {
      if (type.equals(c.path("type").asText())) {
        return c.path("status").asText("Unknown");
      }
    }
    return "Unknown";
  }

  /** A ResourceBinding's clusters, with their replicas when divided ({@code eu-1=4,us-1=2}). */
  public static List<String> placement(JsonNode binding) {
    List<String> placed = new ArrayList<>();
    for (JsonNode c : binding.path("spec").path("clusters")) {
      placed.add(
          c.path("name").asText() + (c.has("replicas") ? "=" + c.path("replicas").asText() : ""));
    }
    return placed;
  }

  /** The texts of an array field, e.g. a ResidencyPolicy's {@code status.allowedClusters}. */
  public static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
