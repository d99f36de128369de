package dev.meridian.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** An object's {@code status.conditions}, as Kubernetes keeps them ({@code metav1.Condition}). */
public final class Conditions {
  private Conditions() {}

  /** The condition of that type in {@code obj}'s status, or a missing node. */
  public static JsonNode find(JsonNode obj, String type) {
    for (JsonNode c : obj.path("status").path("conditions")) {
      if (c.path("type").asText("").equals(type)) {
        return c;
      }
    }
    return MissingNode.getInstance();
  }

  public static boolean isTrue(JsonNode obj, String type) {
    return find(obj, type).path("status").asText("").equals("True");
  }

  /** {@code reason: message}, or whichever of them is set. */
  public static String explain(JsonNode condition) {
    String reason = condition.path("reason").asText("");
    String message = condition.path("message").asText("");
    if (reason.isEmpty() || message.isEmpty()) {
      return reason + message;
    }
    return reason + ": " + message;
  }

  /**
   * Sets {@code lastTransitionTime} on each condition of {@code conditions}: the one the same type
   * has in {@code previous}'s status while its status is unchanged, else {@code now} (to the
   * second). So a condition tells when its status last changed, not when it was last computed, and
   * a status recomputed without a change is the same status (nothing to write).
   *
   * @param previous the object as stored (its {@code status.conditions} are the previous ones)
   * @param now null: a changed condition gets no time
   */
  public static void stampTransitions(JsonNode conditions, JsonNode previous, Instant now) {
    for (JsonNode c : conditions) {
      if (!(c instanceof ObjectNode condition)) {
        continue;
      }
      JsonNode before = find(previous, c.path("type").asText());
      boolean unchanged = before.path("status").asText().equals(c.path("status").asText());
      if (unchanged && before.hasNonNull("lastTransitionTime")) {
        condition.set("lastTransitionTime", before.get("lastTransitionTime"));
      } else if (now != null) {
        condition.put("lastTransitionTime", now.truncatedTo(ChronoUnit.SECONDS).toString());
      }
    }
  }
}
