package dev.meridian.hub.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.LabelSelector;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.ResourceType;
import dev.meridian.hub.ApiException;
import dev.meridian.hub.FieldSelector;
import dev.meridian.hub.ResourceService;
import dev.meridian.store.CompactedException;
import dev.meridian.store.KeyValue;
import dev.meridian.store.StoreException;
import dev.meridian.store.Watch;
import dev.meridian.store.WatchEvent;
import dev.meridian.store.WatchListener;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One {@code ?watch=true} response: newline-delimited JSON events in a chunked HTTP body, fed by a
 * store watch. Events are filtered by the selectors, and an object that stops matching is reported
 * as DELETED, as Kubernetes does. A client that stops reading is disconnected rather than buffered
 * without bound.
 */
final class WatchStream implements WatchListener {
  /** Unread bytes a client may leave queued before it is cut off. */
  private static final long MAX_PENDING_BYTES = 64L * 1024 * 1024;

  private final ChannelHandlerContext ctx;
  private final ResourceType type;
  private final LabelSelector labels;
  private final FieldSelector fields;
  private final boolean table;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Watch watch;

  private WatchStream(
      ChannelHandlerContext ctx,
      ResourceType type,
      LabelSelector labels,
      FieldSelector fields,
      boolean table) {
    this.ctx = ctx;
    this.type = type;
    this.labels = labels;
    this.fields = fields;
    this.table = table;
  }

  static void start(
      ChannelHandlerContext ctx,
      FullHttpRequest req,
      ResourceService service,
      ResourceType type,
      String namespace,
      LabelSelector labels,
      FieldSelector fields,
      String resourceVersion,
      long timeoutSeconds,
      boolean table,
      boolean sendInitialEvents) {
    long from;
    List<ObjectNode> initial = List.of();
    long listedAt = -1;
    if (sendInitialEvents) {
      // a streaming list (client-go's WatchList, on by default since 1.34): the current objects
      // as ADDED, then a bookmark that says they are all sent, then the changes. The state
      // served is the newest, which is never older than the resourceVersion asked for.
      ResourceService.ObjectList list = service.list(type, namespace, labels, fields);
      initial = list.items();
      listedAt = list.revision();
      from = list.revision() + 1;
    } else if (resourceVersion.isEmpty() || resourceVersion.equals("0")) {
      // as Kubernetes: without a version, start with the current objects as ADDED
      ResourceService.ObjectList list = service.list(type, namespace, labels, fields);
      initial = list.items();
      from = list.revision() + 1;
    } else {
      try {
        from = Long.parseLong(resourceVersion) + 1;
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("resourceVersion: invalid value \"" + resourceVersion + "\"");
      }
    }
    WatchStream stream = new WatchStream(ctx, type, labels, fields, table);
    // events are delivered on the store's thread: hold them back until the head is written
    synchronized (stream) {
      try {
        stream.watch = service.store().watch(ResourceService.prefix(type, namespace), from, stream);
      } catch (CompactedException e) {
        throw ApiException.gone(
            "too old resource version: "
                + resourceVersion
                + " ("
                + (e.compactRevision() - 1)
                + ")");
      }
      stream.writeHead(initial);
      if (listedAt >= 0) {
        stream.writeInitialEventsEnd(listedAt);
      }
    }
    ctx.channel().closeFuture().addListener(f -> stream.stop());
    if (timeoutSeconds > 0) {
      ctx.executor().schedule(stream::finish, timeoutSeconds, TimeUnit.SECONDS);
    }
  }

  private void writeHead(List<ObjectNode> initial) {
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    ctx.write(head);
    for (ObjectNode obj : initial) {
      send("ADDED", obj);
    }
    ctx.flush();
  }

  /** The bookmark that ends a streaming list's initial events, as kube-apiserver sends it. */
  private void writeInitialEventsEnd(long revision) {
    ObjectNode bookmark = ResourceCodec.newObject();
    bookmark.put("kind", type.kind()).put("apiVersion", type.apiVersion());
    ObjectNode meta = bookmark.putObject("metadata");
    meta.put("resourceVersion", String.valueOf(revision));
    meta.putObject("annotations").put("k8s.io/initial-events-end", "true");
    writeEvent("BOOKMARK", bookmark);
    ctx.flush();
  }

  @Override
  public synchronized void onEvent(WatchEvent event) {
    if (closed.get()) {
      return;
    }
    if (ctx.channel().bytesBeforeWritable() > MAX_PENDING_BYTES) {
      finish();
      return;
    }
    KeyValue prev = event.prevKv();
    ObjectNode before = prev == null ? null : ResourceService.decode(prev);
    boolean wasIn = before != null && matches(before);
    if (event.type() == WatchEvent.Type.DELETE) {
      if (wasIn) {
        ObjectNode gone = before;
        Meta.metadata(gone).put("resourceVersion", String.valueOf(event.revision()));
        send("DELETED", gone);
      }
    } else {
      ObjectNode after = ResourceService.decode(event.kv());
      boolean isIn = matches(after);
      if (isIn) {
        send(wasIn ? "MODIFIED" : "ADDED", after);
      } else if (wasIn) {
        send("DELETED", after);
      }
    }
    ctx.flush();
  }

  @Override
  public synchronized void onError(StoreException error) {
    ObjectNode status =
        Statuses.failure(
            new ApiException(500, "InternalError", "watch ended: " + error.getMessage()));
    writeEvent("ERROR", status);
    finish();
  }

  private boolean matches(ObjectNode obj) {
    return labels.matches(Meta.labels(obj)) && fields.matches(obj);
  }

  private void send(String type, ObjectNode obj) {
    writeEvent(
        type, table ? Tables.table(this.type, List.of(obj), Meta.resourceVersion(obj)) : obj);
  }

  private void writeEvent(String eventType, ObjectNode obj) {
    ObjectNode ev = ResourceCodec.newObject();
    ev.put("type", eventType);
    ev.set("object", obj);
    byte[] line = ResourceCodec.toJsonBytes(ev);
    byte[] withNewline = java.util.Arrays.copyOf(line, line.length + 1);
    withNewline[line.length] = '\n';
    ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(withNewline)));
  }

  private void finish() {
    if (closed.compareAndSet(false, true)) {
      closeWatch();
      ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
          .addListener(ChannelFutureListener.CLOSE);
    }
  }

  private void stop() {
    closed.set(true);
    closeWatch();
  }

  private void closeWatch() {
    Watch w = watch;
    if (w != null) {
      w.close();
    }
  }
}
