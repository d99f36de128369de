/**
 * Extension points of the gateway's routing: {@link dev.meridian.gateway.spi.LoadBalancer}
 * policies, made available under a name by a {@link dev.meridian.gateway.spi.LoadBalancerProvider}
 * found with {@link java.util.ServiceLoader}.
 */
package dev.meridian.gateway.spi;
