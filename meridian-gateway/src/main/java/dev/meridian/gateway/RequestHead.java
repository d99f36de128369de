package dev.meridian.gateway;

import java.net.InetSocketAddress;

/**
 * The parts of a request that routing reads, independent of the HTTP version and of Netty.
 *
 * @param method the method, upper case as sent ({@code GET})
 * @param host the authority without its port, lower case ({@code shop.example.com}); empty if the
 *     request had none
 * @param path the path as sent, not decoded, never empty ({@code /api/items})
 * @param query the raw query string without {@code ?}, or empty
 * @param headers the request headers
 * @param client the downstream peer's address (after any trusted proxy protocol, none today)
 * @param tls whether the request arrived over TLS
 */
public record RequestHead(
    String method,
    String host,
    String path,
    String query,
    Headers headers,
    InetSocketAddress client,
    boolean tls) {}
