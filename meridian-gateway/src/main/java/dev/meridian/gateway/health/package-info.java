/**
 * Which endpoints get traffic: {@link dev.meridian.gateway.health.EndpointStates} keeps each
 * endpoint's latency, in-flight attempts, passive outlier ejection and active health across table
 * swaps; {@link dev.meridian.gateway.health.ActiveHealthChecker} probes the targets of the current
 * table.
 */
package dev.meridian.gateway.health;
