package dev.meridian.gateway.netty;

import io.netty.handler.codec.http.HttpContent;

/** What the connection handler feeds one request's body and events into. */
interface RequestSink {

  /** Body content of the request (the last one is a {@code LastHttpContent}); owned by the sink. */
  void onRequestContent(HttpContent content);

  /** Whether the whole request (up to its last content) was received. */
  boolean requestComplete();

  void onDownstreamWritable();

  void onDownstreamClosed();

  /** The body passed the size limit; the guard drops the rest. */
  void onBodyTooLarge();
}
