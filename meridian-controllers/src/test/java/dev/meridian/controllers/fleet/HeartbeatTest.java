package dev.meridian.controllers.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.ResourceCodec;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A probe that found nothing new writes only a heartbeat now and then. */
class HeartbeatTest {
  static ObjectNode status(String ready, double latency, Instant probed) {
    ObjectNode s = ResourceCodec.newObject();
    s.putArray("conditions").addObject().put("type", "Ready").put("status", ready);
    s.put("apiLatencyMs", latency).put("lastProbeTime", probed.toString());
    return s;
  }

  @Test
  void skipsUnchangedProbesUntilTheHeartbeatIsDue() {
    Instant t0 = Instant.parse("2026-11-27T10:00:00Z");
    ObjectNode before = status("True", 20, t0);
    assertThat(
            ClusterHealthController.worthWriting(
                before, status("True", 21, t0.plusSeconds(10)), t0.plusSeconds(10)))
        .isFalse();
    assertThat(
            ClusterHealthController.worthWriting(
                before, status("True", 21, t0.plusSeconds(61)), t0.plusSeconds(61)))
        .isTrue();
  }

  @Test
  void writesStateChangesAndLatencyJumpsAtOnce() {
    Instant t0 = Instant.parse("2026-11-27T10:00:00Z");
    ObjectNode before = status("True", 20, t0);
    assertThat(
            ClusterHealthController.worthWriting(
                before, status("Unknown", 20, t0.plusSeconds(1)), t0.plusSeconds(1)))
        .isTrue();
    assertThat(
            ClusterHealthController.worthWriting(
                before, status("True", 100, t0.plusSeconds(1)), t0.plusSeconds(1)))
        .isTrue();
    assertThat(
            ClusterHealthController.worthWriting(
                ResourceCodec.newObject(), status("True", 20, t0), t0))
        .isTrue();
  }
}
