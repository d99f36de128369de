package dev.meridian.gateway.health;

import dev.meridian.gateway.Endpoint;

/** One endpoint to probe, with the health check of the route that holds it. */
public record HealthTarget(Endpoint endpoint, HealthCheckSettings check) {}
