package dev.meridian.gateway.routing;

import dev.meridian.gateway.RouteDecision;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A route's {@code rateLimit}: one bucket for the route and one per client address, local to this
 * gateway. The per-client buckets live in a map bounded to {@code maxClients}: when it grows past
 * that, one thread sweeps out the buckets that have refilled (forgetting them changes nothing),
 * then, if still too many, arbitrary ones (those clients get a fresh burst).
 */
public final class RateLimiter {

  public static final int DEFAULT_MAX_CLIENTS = 100_000;

  private final TokenBucket route;
  private final AtomicLong routeState;
  private final TokenBucket client;
  private final Map<InetAddress, AtomicLong> clients = new ConcurrentHashMap<>();
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private final int maxClients;
  private final LongSupplier clock;

  /**
   * @param route the route's bucket, or null
   * @param client each client's bucket, or null
   */
  public RateLimiter(TokenBucket route, TokenBucket client, int maxClients, LongSupplier clock) {
    this.route = route;
    this.client = client;
    this.maxClients = maxClients;
    this.clock = clock;
    this.routeState = route == null ? null : route.newState(clock.getAsLong());
  }

  /** Null when the request may go on, else the 429 answer with its {@code Retry-After}. */
  public RouteDecision.Respond check(InetSocketAddress peer) {
    long now = clock.getAsLong();
    if (client != null && peer != null && peer.getAddress() != null) {
      InetAddress a = peer.getAddress();
      AtomicLong state = clients.get(a);
      if (state == null) {
        AtomicLong fresh = client.newState(now);
        state = clients.putIfAbsent(a, fresh);
        if (state == null) {
          state = fresh;
          if (clients.size() > maxClients) {
            sweep(now);
          }
        }
      }
      long wait = client.take(state, now);
      if (wait > 0) {
        return tooMany(wait);
      }
    }
    if (route != null) {
      long wait = route.take(routeState, now);
      if (wait > 0) {
        return tooMany(wait);
      }
    }
    return null;
  }

  int clients() {
    return clients.size();
  }

  private void sweep(long now) {
    if (!sweeping.compareAndSet(false, true)) {
      return;
    }
    try {
      clients.values().removeIf(s -> client.full(s, now));
      int excess = clients.size() - maxClients * 9 / 10;
      for (Iterator<AtomicLong> it = clients.values().iterator(); excess > 0 && it.hasNext(); ) {
        it.next();
        it.remove();
        excess--;
      }
    } finally {
      sweeping.set(false);
    }
  }

  private static RouteDecision.Respond tooMany(long waitNanos) {
    long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
    return new RouteDecision.Respond(
        429,
        List.of(new RouteDecision.Header("Retry-After", Long.toString(seconds))),
        "rate limited\n");
  }
}
