package dev.meridian.gateway.netty;

import dev.meridian.gateway.Headers;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/** {@link Headers} over Netty's headers, without copying them. */
record NettyHeaders(HttpHeaders headers) implements Headers {

  @Override
  public String get(String name) {
    return headers.get(name);
  }

  @Override
  public List<String> getAll(String name) {
    return headers.getAll(name);
  }
}
