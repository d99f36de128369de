package dev.meridian.gateway.netty;

import io.netty.channel.Channel;

/** One HTTP/1.1 connection to an endpoint, lent to one attempt at a time by its pool. */
final class UpstreamConnection {

  private final ConnectionSource pool;
  private Channel channel;
  private UpstreamListener listener;

  UpstreamConnection(ConnectionSource pool) {
    this.pool = pool;
  }

  void channel(Channel ch) {
    this.channel = ch;
  }

  Channel channel() {
    return channel;
  }

  UpstreamListener listener() {
    return listener;
  }

  void attach(UpstreamListener l) {
    this.listener = l;
  }

  /** Detaches the current listener and returns it. */
  UpstreamListener detach() {
    UpstreamListener l = listener;
    listener = null;
    return l;
  }

  /** Gives the connection back to its pool for the next request (keep-alive). */
  void release() {
    listener = null;
    pool.release(this);
  }

  /** Closes the connection; it is not reused. */
  void discard() {
    listener = null;
    channel.close();
  }

  /** Takes the connection out of pooling for good (a protocol switch owns it now). */
  void detachFromPool() {
    listener = null;
  }
}
