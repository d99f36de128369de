package dev.meridian.gateway.netty;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The request body of one exchange as it passes through: parts that arrived while no connection was
 * ready ({@code pending}), and duplicates of what was sent ({@code replay}, up to {@link #LIMIT}
 * bytes) so that an idempotent request can be sent again to another endpoint. Duplicates share the
 * bytes (reference counts, no copies); a larger body stops being replayable and is only streamed.
 */
final class RequestBody {

  static final int LIMIT = 64 * 1024;

  private final ArrayDeque<HttpContent> pending = new ArrayDeque<>();
  private long pendingBytes;
  private final List<HttpContent> replay = new ArrayList<>();
  private long replayBytes;
  private boolean replayable = true;

  /** Keeps a part until a connection is ready; true when so much waits that reading should stop. */
  boolean hold(HttpContent content) {
    pending.add(content);
    pendingBytes += content.content().readableBytes();
    return pendingBytes > LIMIT;
  }

  /** Whether little enough waits that reading may go on. */
  boolean roomToHold() {
    return pendingBytes <= LIMIT;
  }

  /** Whether every part sent so far can be sent again. */
  boolean replayable() {
    return replayable;
  }

  /**
   * Writes what a new attempt must see: the replayed parts, then the pending ones (without flush).
   *
   * @return whether the last part was written
   */
  boolean writeAll(Channel up) {
    boolean last = false;
    for (HttpContent c : replay) {
      up.write(c.retainedDuplicate());
      last |= c instanceof LastHttpContent;
    }
    HttpContent c;
    while ((c = pending.poll()) != null) {
      pendingBytes -= c.content().readableBytes();
      last |= send(up, c);
    }
    return last;
  }

  /**
   * Writes one part (without flush), keeping a duplicate while the body is replayable.
   *
   * @return whether it was the last part
   */
  boolean send(Channel up, HttpContent content) {
    if (replayable) {
      int n = content.content().readableBytes();
      if (replayBytes + n <= LIMIT) {
        replay.add(content.retainedDuplicate());
        replayBytes += n;
      } else {
        replayable = false;
        releaseAll(replay);
      }
    }
    up.write(content);
    return content instanceof LastHttpContent;
  }

  /** Duplicates of the whole body received so far, or null when it is too large to keep. */
  List<HttpContent> duplicate() {
    if (!replayable || replayBytes + pendingBytes > LIMIT) {
      return null;
    }
    List<HttpContent> body = new ArrayList<>(replay.size() + pending.size());
    replay.forEach(c -> body.add(c.retainedDuplicate()));
    pending.forEach(c -> body.add(c.retainedDuplicate()));
    return body;
  }

  void release() {
    releaseAll(pending);
    pendingBytes = 0;
    releaseAll(replay);
  }

  private static void releaseAll(java.util.Collection<? extends HttpContent> contents) {
    contents.forEach(HttpContent::release);
    contents.clear();
  }
}
