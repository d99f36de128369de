package dev.meridian.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Turns a Kubernetes {@code Status} into the one line the user sees. */
final class StatusMessages {
  private StatusMessages() {}

  /**
   * The Status message, followed by those of its {@code details.causes} that it does not already
   * name (a hub may say only {@code Cluster "x" is invalid} and list the fields apart).
   */
  static String message(JsonNode status, int code) {
    String message = OneLine.safe(status.path("message").asText(""));
    if (message.isEmpty()) {
      String reason = status.path("reason").asText("");
      message = reason.isEmpty() ? "the hub answered HTTP " + code : reason;
    }
    List<String> extra = new ArrayList<>();
    for (JsonNode cause : status.path("details").path("causes")) {
      String field = OneLine.safe(cause.path("field").asText(""));
      String text = OneLine.safe(cause.path("message").asText(""));
      if (text.isEmpty()
          || message.contains(text) && (field.isEmpty() || message.contains(field))) {
        continue;
      }
      extra.add(field.isEmpty() ? text : field + ": " + text);
    }
    return extra.isEmpty() ? message : message + ": " + String.join(", ", extra);
  }
}
