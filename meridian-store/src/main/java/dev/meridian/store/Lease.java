package dev.meridian.store;

import java.time.Duration;

/** A granted lease. */
public record Lease(long id, Duration ttl) {}
