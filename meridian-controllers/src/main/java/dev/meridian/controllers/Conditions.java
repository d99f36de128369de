package dev.meridian.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Status conditions as Kubernetes keeps them ({@code metav1.Condition}). */
public final class Conditions {
  private Conditions() {}

  /**
   * Sets {@code lastTransitionTime} on each condition of {@code conditions}: the one the same type
   * had in {@code previousConditions} while its status is unchanged, else {@code now} (to the
   * second). So a condition tells when its status last changed, not when it was last computed, and
   * a status recomputed without a change is the same status (nothing to write).
   *
   * @param now null: a changed condition gets no time
   */
  public static void stampTransitions(
      JsonNode conditions, JsonNode previousConditions, Instant now) {
    for (JsonNode c : conditions) {
      if (!(c instanceof ObjectNode condition)) {
        continue;
      }
      JsonNode before = find(previousConditions, c.path("type").asText());
      boolean unchanged =
          before != null && before.path("status").asText().equals(c.path("status").asText());
      if (unchanged && before.hasNonNull("lastTransitionTime")) {
        condition.set("lastTransitionTime", before.get("lastTransitionTime"));
      } else if (now != null) {
        condition.put("lastTransitionTime", now.truncatedTo(ChronoUnit.SECONDS).toString());
      }
    }
  }

  /** The condition of {@code type} in a {@code conditions} array, or null. */
  public static JsonNode find(JsonNode conditions, String type) {
    for (JsonNode c : conditions) {
      if (c.path("type").asText().equals(type)) {
        return c;
      }
    }
    return null;
  }
}
