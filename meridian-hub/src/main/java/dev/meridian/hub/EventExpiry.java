package dev.meridian.hub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.ResourceTypes;
import dev.meridian.store.KeyValue;
import dev.meridian.store.Precondition;
import dev.meridian.store.PreconditionFailedException;
import dev.meridian.store.Store;
import java.time.Instant;

/** Events do not stay for ever: a cluster that flaps cannot grow the store without bound. */
final class EventExpiry {
  private EventExpiry() {}

  /**
   * Deletes Events last seen before {@code cutoff}, as kube-apiserver's {@code --event-ttl} does,
   * so a cluster that flaps cannot grow the store without bound.
   *
   * @return how many were deleted
   */
  static int expire(Store store, Instant cutoff) {
    int n = 0;
    for (KeyValue kv : store.list(ResourceTypes.EVENT.storePrefix()).items()) {
      ObjectNode ev = ResourceService.decode(kv);
      String seen =
          ev.path("lastTimestamp").asText(ev.path("metadata").path("creationTimestamp").asText(""));
      try {
        if (!seen.isEmpty() && Instant.parse(seen).isBefore(cutoff)) {
          store.delete(kv.key(), Precondition.modRevision(kv.modRevision()));
          n++;
        }
      } catch (java.time.format.DateTimeParseException | PreconditionFailedException e) {
        // unreadable time or changed meanwhile: left for the next pass
      }
    }
    return n;
  }
}
