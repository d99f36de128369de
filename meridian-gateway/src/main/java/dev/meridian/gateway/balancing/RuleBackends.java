package dev.meridian.gateway.balancing;

import dev.meridian.gateway.BackendSelector;
import dev.meridian.gateway.Endpoint;
import dev.meridian.gateway.RequestHead;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The {@link BackendSelector} of one rule, composing in this order: residency pinning (a pinned
 * request only ever sees its allowed clusters), the sticky endpoint while it is eligible, a
 * backendRef chosen by weight (the others if it has no eligible endpoint), then within it the
 * locality tiers and the route's policy. A retry first looks for an endpoint in a cluster not tried
 * yet, in every backendRef and tier, before another endpoint of a tried cluster.
 *
 * <p>Lock-free and allocation-free on the path of a pick but for the sticky cookie's value.
 */
public final class RuleBackends implements BackendSelector {

  private final BackendPool[] pools;
  private final int[] cumulative;
  private final long totalWeight;
  private final AtomicLong sequence = new AtomicLong();
  private final ClientLocator locator;
  private final Residency residency;
  private final StickySessions sticky;
  private final Map<String, Long> stickyIndex = new HashMap<>();
  private final LongSupplier clock;

  /**
   * @param locator where clients are, or null when the route's locality is {@code None}
   * @param residency the route's residency, or null
   * @param sticky the route's cookie persistence, or null
   * @param clock {@link System#nanoTime} semantics, the one the endpoint states use
   */
  public RuleBackends(
      List<BackendPool> pools,
      ClientLocator locator,
      Residency residency,
      StickySessions sticky,
      LongSupplier clock) {
    this.pools = pools.toArray(new BackendPool[0]);
    this.cumulative = new int[this.pools.length];
    long total = 0;
    for (int p = 0; p < this.pools.length; p++) {
      total += this.pools[p].weight();
      cumulative[p] = (int) total;
      for (int i = 0; i < this.pools[p].size(); i++) {
        stickyIndex.putIfAbsent(
            StickySessions.valueOf(this.pools[p].endpoint(i)), ((long) p << 32) | i);
      }
    }
    this.totalWeight = total;
    this.locator = locator;
    this.residency = residency;
    this.sticky = sticky;
    this.clock = clock;
  }

  public List<BackendPool> pools() {
    return List.of(pools);
  }

  /** Whether any backendRef has a weight above 0 (Gateway API answers 500 otherwise). */
  public boolean hasWeight() {
    return totalWeight > 0;
  }

  @Override
  public Optional<Endpoint> pick(RequestHead head, Set<Endpoint> tried) {
    if (totalWeight == 0) {
      return Optional.empty();
    }
    Set<String> allowed = residency == null ? null : residency.allowed(head);
    if (allowed != null && allowed.isEmpty()) {
      return Optional.empty();
    }
    long now = clock.getAsLong();
    if (sticky != null) {
      String v = sticky.read(head.headers());
      Long at = v == null ? null : stickyIndex.get(v);
      if (at != null) {
        BackendPool p = pools[(int) (at >>> 32)];
        int i = (int) (long) at;
        if (p.weight() > 0 && p.eligible(i, allowed, tried, false, now)) {
          return p.take(i);
        }
      }
    }
    String region = locator == null ? null : locator.regionOf(head);
    int first =
        pools.length == 1
            ? 0
            : WeightedIndex.at(
                cumulative, WeightedIndex.lowDiscrepancy(sequence.getAndIncrement(), totalWeight));
    if (!tried.isEmpty()) {
      Optional<Endpoint> e = pickFrom(first, region, allowed, tried, true, now);
      if (e.isPresent()) {
        return e;
      }
    }
    return pickFrom(first, region, allowed, tried, false, now);
  }

  private Optional<Endpoint> pickFrom(
      int first,
      String region,
      Set<String> allowed,
      Set<Endpoint> tried,
      boolean avoidTriedClusters,
      long now) {
    for (int k = 0; k < pools.length; k++) {
      BackendPool p = pools[(first + k) % pools.length];
      if (p.weight() == 0) {
        continue;
      }
      int i = p.pick(region, allowed, tried, avoidTriedClusters, now);
      if (i >= 0) {
        return p.take(i);
      }
    }
    return Optional.empty();
  }

  @Override
  public String stickyCookie(RequestHead head, Endpoint chosen) {
    if (sticky == null) {
      return null;
    }
    String v = sticky.read(head.headers());
    if (v != null && v.equals(StickySessions.valueOf(chosen))) {
      return null;
    }
    return sticky.setCookie(chosen, head.tls());
  }
}
