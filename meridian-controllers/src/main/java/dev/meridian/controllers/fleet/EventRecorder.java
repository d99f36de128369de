package dev.meridian.controllers.fleet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.ResourceTypes;
import dev.meridian.controllers.ObjectClient;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes {@code Event}s about hub objects, so {@code meridian describe} and {@code
 * kubectl get events} show what the controllers did and why. Events of cluster-scoped objects go to
 * the {@code default} namespace, as in Kubernetes. Recording never fails the caller.
 */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private final ObjectClient objects;
  private final Clock clock;
  private final String component;
  private final AtomicLong sequence = new AtomicLong();

  public EventRecorder(ObjectClient objects, Clock clock, String component) {
    this.objects = objects;
    this.clock = clock;
    this.component = component;
  }

  public void normal(ObjectNode about, String reason, String message) {
    record(about, "Normal", reason, message);
  }

  public void warning(ObjectNode about, String reason, String message) {
    record(about, "Warning", reason, message);
  }

  private void record(ObjectNode about, String type, String reason, String message) {
    String ns = Meta.namespace(about).isEmpty() ? "default" : Meta.namespace(about);
    Instant now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS);
    ObjectNode ev = ResourceCodec.newObject();
    ev.put("apiVersion", "v1").put("kind", "Event");
    ev.putObject("metadata")
        .put(
            "name",
            Meta.name(about)
                + "."
                + Long.toHexString(now.toEpochMilli())
                + Long.toHexString(sequence.incrementAndGet()))
        .put("namespace", ns);
    ev.putObject("involvedObject")
        .put("apiVersion", Meta.apiVersion(about))
        .put("kind", Meta.kind(about))
        .put("name", Meta.name(about))
        .put("namespace", Meta.namespace(about))
        .put("uid", Meta.uid(about));
    ev.put("type", type).put("reason", reason).put("message", message);
    ev.putObject("source").put("component", component);
    ev.put("firstTimestamp", now.toString()).put("lastTimestamp", now.toString()).put("count", 1);
    try {
      objects.create(ResourceTypes.EVENT, ns, ev);
    } catch (RuntimeException e) {
      LOG.warn("could not record event {} for {}: {}", reason, Meta.name(about), e.toString());
    }
  }
}
