package dev.meridian.gateway.netty;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;

/** Who receives what one upstream connection reads while it is lent out: one attempt. */
interface UpstreamListener {

  /** A response head (informational ones included); not reference counted. */
  void onResponse(HttpResponse response);

  /** Body content; the listener owns it. */
  void onContent(HttpContent content);

  /** Raw bytes after a protocol switch (101); the listener owns them. */
  void onRawBytes(ByteBuf bytes);

  /** The connection closed or failed before the exchange let go of it. */
  void onClosed(Throwable cause);

  /** The connection can take more writes again. */
  void onWritable();
}
