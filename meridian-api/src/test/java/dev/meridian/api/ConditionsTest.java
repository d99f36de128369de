package dev.meridian.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConditionsTest {
  static JsonNode json(String s) throws Exception {
    return ResourceCodec.JSON.readTree(s);
  }

  @Test
  void aConditionKeepsItsTimeWhileItsStatusHoldsAndTakesNowWhenItChanges() throws Exception {
    // Given: the object as stored
    JsonNode before =
        json(
            """
            {"status":{"conditions":[
             {"type":"Ready","status":"True","lastTransitionTime":"2026-01-01T00:00:00Z"},
             {"type":"Applied","status":"True","lastTransitionTime":"2026-01-02T00:00:00Z"}]}}""");
    // When: recomputed, one status the same (another reason), one changed, one new
    JsonNode now =
        json(
            """
            [{"type":"Ready","status":"True","reason":"StillFine"},
             {"type":"Applied","status":"False"},
             {"type":"Healthy","status":"True"}]""");
    Conditions.stampTransitions(now, before, Instant.parse("2026-03-04T05:06:07.891Z"));
    // Then
    assertThat(now.get(0).path("lastTransitionTime").asText()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(now.get(1).path("lastTransitionTime").asText()).isEqualTo("2026-03-04T05:06:07Z");
    assertThat(now.get(2).path("lastTransitionTime").asText()).isEqualTo("2026-03-04T05:06:07Z");
  }

  @Test
  void withoutAClockAChangedConditionGetsNoTime() throws Exception {
    JsonNode now = json("[{\"type\":\"Ready\",\"status\":\"False\"}]");
    Conditions.stampTransitions(
        now,
        json(
            "{\"status\":{\"conditions\":"
                + "[{\"type\":\"Ready\",\"status\":\"True\",\"lastTransitionTime\":\"x\"}]}}"),
        null);
    assertThat(now.get(0).has("lastTransitionTime")).isFalse();
  }
}
