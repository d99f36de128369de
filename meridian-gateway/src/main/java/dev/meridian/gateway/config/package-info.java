/**
 * From the hub's {@code GlobalRoute}s to a routing table: {@link
 * dev.meridian.gateway.config.RouteCompiler} compiles a list of routes, with a {@link
 * dev.meridian.gateway.config.CompileContext} describing this gateway, into an immutable {@link
 * dev.meridian.gateway.config.CompiledTable} that the proxy swaps in whole.
 */
package dev.meridian.gateway.config;
