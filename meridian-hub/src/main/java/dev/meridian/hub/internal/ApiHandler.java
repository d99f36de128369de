package dev.meridian.hub.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.DecodeException;
import dev.meridian.api.FieldError;
import dev.meridian.api.LabelSelector;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.ResourceType;
import dev.meridian.hub.ApiException;
import dev.meridian.hub.FieldSelector;
import dev.meridian.hub.ResourceService;
import dev.meridian.hub.protobuf.KubernetesProtobuf;
import dev.meridian.store.StoreException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the Kubernetes-style REST API. Requests are decoded on the event loop and handled on a
 * bounded worker pool, because writes wait for the store's fsync; a full pool answers 429 rather
 * than queueing without bound.
 */
@ChannelHandler.Sharable
public final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

  private final ResourceService service;
  private final Discovery discovery;
  private final TokenAuthenticator auth;
  private final ExecutorService workers;

  public ApiHandler(
      ResourceService service,
      Discovery discovery,
      TokenAuthenticator auth,
      ExecutorService workers) {
    this.service = service;
    this.discovery = discovery;
    this.auth = auth;
    this.workers = workers;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (!request.decoderResult().isSuccess()) {
      respond(
          ctx, request, 400, Statuses.failure(ApiException.badRequest("malformed HTTP request")));
      return;
    }
    FullHttpRequest req = request.retainedDuplicate();
    try {
      workers.execute(
          () -> {
            try {
              handle(ctx, req);
            } finally {
              req.release();
            }
          });
    } catch (RejectedExecutionException e) {
      req.release();
      ApiException busy =
          new ApiException(429, "TooManyRequests", "the hub is overloaded, please try again");
      respond(ctx, request, 429, Statuses.failure(busy));
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // a client that resets its connection is ordinary; anything else is worth a line, no trace
    if (cause instanceof java.io.IOException) {
      LOG.debug("connection from {} ended: {}", ctx.channel().remoteAddress(), cause.toString());
    } else {
      LOG.warn("closing connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
    }
    ctx.close();
  }

  private void handle(ChannelHandlerContext ctx, FullHttpRequest req) {
    QueryStringDecoder uri = new QueryStringDecoder(req.uri());
    String path = uri.path();
    try {
      if (isPublic(path)) {
        servePublic(ctx, req, path);
        return;
      }
      if (!auth.authenticate(req.headers().get(HttpHeaderNames.AUTHORIZATION))) {
        throw new ApiException(
            401, "Unauthorized", "Unauthorized: a valid bearer token is required");
      }
      List<String> warnings = new ArrayList<>();
      ctx.channel().attr(CREATED).set(false);
      JsonNode body = route(ctx, req, uri, w -> warnings.add(w.toString()));
      if (body != null) {
        boolean created =
            req.method().equals(HttpMethod.POST)
                || Boolean.TRUE.equals(ctx.channel().attr(CREATED).get());
        int code = created ? 201 : 200;
        respond(ctx, req, code, body, warnings);
      }
    } catch (ApiException e) {
      respond(ctx, req, e.code(), Statuses.failure(e));
    } catch (DecodeException e) {
      respond(ctx, req, 400, Statuses.failure(ApiException.badRequest(e.getMessage())));
    } catch (IllegalArgumentException e) {
      respond(ctx, req, 400, Statuses.failure(ApiException.badRequest(e.getMessage())));
    } catch (StoreException e) {
      LOG.error("store failure on {} {}", req.method(), path, e);
      respond(
          ctx,
          req,
          503,
          Statuses.failure(
              new ApiException(
                  503, "ServiceUnavailable", "the hub's store failed: " + e.getMessage())));
    } catch (RuntimeException e) {
      LOG.error("internal error on {} {}", req.method(), path, e);
      respond(
          ctx,
          req,
          500,
          Statuses.failure(new ApiException(500, "InternalError", "internal error: " + e)));
    }
  }

  private static boolean isPublic(String path) {
    return path.equals("/healthz")
        || path.equals("/readyz")
        || path.equals("/livez")
        || path.equals("/version");
  }

  private void servePublic(ChannelHandlerContext ctx, FullHttpRequest req, String path) {
    if (path.equals("/version")) {
      respond(ctx, req, 200, discovery.version());
      return;
    }
    FullHttpResponse res =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.OK,
            Unpooled.copiedBuffer("ok", StandardCharsets.UTF_8));
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
    write(ctx, req, res);
  }

  /**
   * Answers the request; returns the body to send, or null when it already answered (watch). What a
   * write's validators found doubtful goes to {@code warnings}.
   */
  private JsonNode route(
      ChannelHandlerContext ctx,
      FullHttpRequest req,
      QueryStringDecoder uri,
      Consumer<FieldError> warnings) {
    String path = uri.path();
    HttpMethod method = req.method();
    switch (path) {
      case "/api", "/api/":
        return getOnly(method, discovery.coreVersions());
      case "/apis", "/apis/":
        return getOnly(method, discovery.groupList());
      case "/openapi/v3", "/openapi/v3/":
        return getOnly(method, discovery.openApiIndex());
      default:
        break;
    }
    String[] seg = path.substring(1).split("/");
    if (path.startsWith("/openapi/v3/")) {
      boolean core = seg.length == 4 && seg[2].equals("api");
      boolean grouped = seg.length == 5 && seg[2].equals("apis");
      ObjectNode doc =
          core ? discovery.openApi("", seg[3]) : grouped ? discovery.openApi(seg[3], seg[4]) : null;
      return getOnly(method, orNotFound(doc));
    }
    if (seg[0].equals("api") && seg.length == 2) {
      return getOnly(method, orNotFound(discovery.resourceList("", seg[1])));
    }
    if (seg[0].equals("apis") && seg.length == 2) {
      return getOnly(method, orNotFound(discovery.group(seg[1])));
    }
    if (seg[0].equals("apis") && seg.length == 3) {
      return getOnly(method, orNotFound(discovery.resourceList(seg[1], seg[2])));
    }
    ApiPath p = ApiPath.parse(path);
    if (p == null) {
      throw ApiException.notFound("the server could not find the requested resource");
    }
    // /api/v1/namespaces/NAME/status addresses the namespace itself
    if (p.group().isEmpty()
        && !p.namespace().isEmpty()
        && p.name().isEmpty()
        && (p.plural().equals("status") || p.plural().equals("finalize"))) {
      p = new ApiPath("", p.version(), "", "namespaces", p.namespace(), p.plural());
    }
    ApiPath ap = p;
    ResourceType type =
        service
            .types()
            .byPath(ap.group(), ap.version(), ap.plural())
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "the server could not find the requested resource (" + describe(ap) + ")"));
    if (!type.namespaced() && !ap.namespace().isEmpty()) {
      throw ApiException.notFound(
          type.kind() + " is not namespaced: the server could not find the requested resource");
    }
    if (ap.subresource().equals("scale") && ScaleSubresource.serves(type)) {
      return ScaleSubresource.handle(
          service,
          type,
          ap.namespace(),
          ap.name(),
          method.name(),
          contentType(req),
          method.equals(HttpMethod.GET) ? null : patchBody(req),
          "All".equals(param(uri, "dryRun")),
          warnings,
          ResourceService.onSubresource(fieldManager(req, uri), "scale"));
    }
    if (!ap.subresource().isEmpty() && !ap.subresource().equals("status")) {
      throw ApiException.notFound(
          "the server could not find the requested resource (" + ap.subresource() + ")");
    }
    boolean status = ap.subresource().equals("status");
    boolean dryRun = "All".equals(param(uri, "dryRun"));
    String ns = ap.namespace();
    if (ap.name().isEmpty()) {
      if (method.equals(HttpMethod.GET)) {
        LabelSelector labels = LabelSelector.parse(param(uri, "labelSelector"));
        FieldSelector fields = FieldSelector.parse(param(uri, "fieldSelector"), type);
        if ("true".equals(param(uri, "watch")) || "1".equals(param(uri, "watch"))) {
          WatchStream.start(
              ctx,
              req,
              service,
              type,
              ns,
              labels,
              fields,
              param(uri, "resourceVersion"),
              timeout(uri),
              Tables.wanted(accept(req)),
              sendInitialEvents(uri));
          return null;
        }
        ResourceService.ObjectList list = service.list(type, ns, labels, fields);
        if (Tables.wanted(accept(req))) {
          return Tables.table(type, list.items(), String.valueOf(list.revision()));
        }
        ObjectNode out = ResourceCodec.newObject();
        out.put("apiVersion", type.apiVersion()).put("kind", type.kind() + "List");
        out.putObject("metadata").put("resourceVersion", String.valueOf(list.revision()));
        out.putArray("items").addAll(list.items());
        return out;
      }
      if (method.equals(HttpMethod.POST)) {
        return service.create(type, ns, body(req), dryRun, warnings, fieldManager(req, uri));
      }
      throw ApiException.methodNotAllowed(method + " is not supported on a collection");
    }
    String name = ap.name();
    if (method.equals(HttpMethod.GET)) {
      ObjectNode obj = service.getOrThrow(type, ns, name);
      return Tables.wanted(accept(req))
          ? Tables.table(type, List.of(obj), Meta.resourceVersion(obj))
          : obj;
    }
    if (method.equals(HttpMethod.PUT)) {
      ObjectNode obj = body(req);
      return status
          ? service.updateStatus(type, ns, name, obj, dryRun)
          : service.update(type, ns, name, obj, dryRun, warnings, fieldManager(req, uri));
    }
    if (method.equals(HttpMethod.PATCH)) {
      String ct = contentType(req);
      if (ct.startsWith(dev.meridian.hub.patch.Patches.APPLY_PATCH)) {
        if (status) {
          throw ApiException.methodNotAllowed(
              "server-side apply of the status subresource is not supported yet");
        }
        String force = param(uri, "force");
        if (!force.isEmpty() && !force.equals("true") && !force.equals("false")) {
          throw ApiException.badRequest("force: invalid value \"" + force + "\"");
        }
        ResourceService.Applied applied =
            service.apply(
                type,
                ns,
                name,
                applyBody(req),
                param(uri, "fieldManager"),
                force.equals("true"),
                dryRun,
                warnings);
        // an apply that creates is answered 201, as kube-apiserver answers it
        ctx.channel().attr(CREATED).set(applied.created());
        return applied.object();
      }
      JsonNode patch = patchBody(req);
      return service.patch(
          type,
          ns,
          name,
          dev.meridian.hub.patch.Patches.of(type, ct, patch),
          status,
          dryRun,
          warnings,
          status ? null : fieldManager(req, uri));
    }
    if (method.equals(HttpMethod.DELETE)) {
      if (status) {
        throw ApiException.methodNotAllowed("DELETE is not supported on status");
      }
      // DeleteOptions: in the body (kubectl) or, as kube-apiserver also reads them, the query
      String precondition = "";
      String uid = "";
      String propagation = param(uri, "propagationPolicy");
      if (req.content().readableBytes() > 0) {
        ObjectNode opts = body(req);
        precondition = opts.path("preconditions").path("resourceVersion").asText("");
        uid = opts.path("preconditions").path("uid").asText("");
        if (opts.path("propagationPolicy").isTextual()) {
          propagation = opts.path("propagationPolicy").asText();
        }
        if (opts.path("orphanDependents").isBoolean() && propagation.isEmpty()) {
          // the deprecated spelling
          propagation = opts.path("orphanDependents").asBoolean() ? "Orphan" : "Background";
        }
        if (!opts.path("dryRun").isMissingNode()
            && opts.path("dryRun").toString().contains("All")) {
          dryRun = true;
        }
      }
      return service.delete(
          type,
          ns,
          name,
          new dev.meridian.hub.DeleteOptions(precondition, uid, propagation, dryRun));
    }
    throw ApiException.methodNotAllowed(method + " is not supported");
  }

  private static String describe(ApiPath p) {
    return p.plural() + (p.group().isEmpty() ? "" : "." + p.group()) + " " + p.version();
  }

  private static JsonNode getOnly(HttpMethod method, JsonNode body) {
    if (!method.equals(HttpMethod.GET)) {
      throw ApiException.methodNotAllowed(method + " is not supported here");
    }
    return body;
  }

  private static ObjectNode orNotFound(ObjectNode doc) {
    if (doc == null) {
      throw ApiException.notFound("the server could not find the requested resource");
    }
    return doc;
  }

  private static String param(QueryStringDecoder uri, String name) {
    List<String> v = uri.parameters().get(name);
    return v == null || v.isEmpty() ? "" : v.get(0);
  }

  private static long timeout(QueryStringDecoder uri) {
    String t = param(uri, "timeoutSeconds");
    if (t.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("timeoutSeconds: invalid value \"" + t + "\"");
    }
  }

  private static String accept(FullHttpRequest req) {
    return req.headers().get(HttpHeaderNames.ACCEPT, "");
  }

  private static String contentType(FullHttpRequest req) {
    return req.headers().get(HttpHeaderNames.CONTENT_TYPE, "application/json").toLowerCase();
  }

  private static ObjectNode body(FullHttpRequest req) {
    byte[] bytes = ByteBufUtil.getBytes(req.content());
    String ct = contentType(req);
    if (ct.startsWith(KubernetesProtobuf.MEDIA_TYPE)) {
      try {
        return KubernetesProtobuf.shipped().read(bytes);
      } catch (KubernetesProtobuf.UnreadableException e) {
        throw e.unsupportedKind()
            ? ApiException.unsupportedMediaType(e.getMessage())
            : ApiException.badRequest(e.getMessage());
      }
    }
    if (!ct.startsWith("application/json")
        && !ct.startsWith("application/yaml")
        && !ct.startsWith("*/*")
        && !ct.isEmpty()) {
      throw ApiException.unsupportedMediaType(
          "the body's media type "
              + ct
              + " is not supported; use application/json, application/yaml or, for the"
              + " built-in kinds, "
              + KubernetesProtobuf.MEDIA_TYPE);
    }
    return ResourceCodec.readObject(bytes, ct.startsWith("application/yaml"));
  }

  /**
   * {@code sendInitialEvents=true}, checked as kube-apiserver checks it: only with {@code
   * resourceVersionMatch=NotOlderThan} and bookmarks allowed.
   */
  private static boolean sendInitialEvents(QueryStringDecoder uri) {
    String send = param(uri, "sendInitialEvents");
    if (!"true".equals(send)) {
      return false;
    }
    List<FieldError> causes = new ArrayList<>();
    if (!"NotOlderThan".equals(param(uri, "resourceVersionMatch"))) {
      causes.add(
          FieldError.invalid(
              "sendInitialEvents",
              "sendInitialEvents is forbidden for watch unless resourceVersionMatch is set to"
                  + " NotOlderThan"));
    }
    if (!"true".equals(param(uri, "allowWatchBookmarks"))) {
      causes.add(
          FieldError.invalid(
              "allowWatchBookmarks",
              "allowWatchBookmarks must be set to true when sendInitialEvents is true"));
    }
    if (!causes.isEmpty()) {
      throw ApiException.invalid("ListOptions", "", causes);
    }
    return true;
  }

  /** Set by a request that created its object other than by POST (a server-side apply). */
  private static final io.netty.util.AttributeKey<Boolean> CREATED =
      io.netty.util.AttributeKey.valueOf("meridian.created");

  /**
   * Who a write is by, for {@code metadata.managedFields}: {@code ?fieldManager=}, else the client
   * program's name from its User-Agent ({@code kubectl/v1.37.2 (linux/amd64) ...}: {@code
   * kubectl}), as kube-apiserver derives it.
   */
  private static String fieldManager(FullHttpRequest req, QueryStringDecoder uri) {
    String m = param(uri, "fieldManager");
    if (m.isEmpty()) {
      String agent = req.headers().get("User-Agent", "");
      int slash = agent.indexOf('/');
      m = (slash < 0 ? agent : agent.substring(0, slash)).strip();
    }
    if (m.length() > 128) {
      throw ApiException.badRequest("fieldManager: Too long: may not be more than 128 bytes");
    }
    return m.isEmpty() ? "unknown" : m;
  }

  /** An apply configuration: YAML (JSON is YAML too), one object. */
  private static ObjectNode applyBody(FullHttpRequest req) {
    return ResourceCodec.readObject(ByteBufUtil.getBytes(req.content()), true);
  }

  private static JsonNode patchBody(FullHttpRequest req) {
    try {
      JsonNode node = ResourceCodec.JSON.readTree(ByteBufUtil.getBytes(req.content()));
      if (node == null || node.isMissingNode()) {
        throw ApiException.badRequest("the patch is empty");
      }
      return node;
    } catch (java.io.IOException e) {
      throw ApiException.badRequest(
          "the patch is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  static void respond(ChannelHandlerContext ctx, FullHttpRequest req, int code, JsonNode body) {
    respond(ctx, req, code, body, List.of());
  }

  /** Answers with {@code body} and one {@code Warning} header per warning, as kube-apiserver. */
  static void respond(
      ChannelHandlerContext ctx,
      FullHttpRequest req,
      int code,
      JsonNode body,
      List<String> warnings) {
    ByteBuf buf = Unpooled.wrappedBuffer(ResourceCodec.toJsonBytes(body));
    FullHttpResponse res =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code), buf);
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    for (CharSequence warning : WarningHeaders.values(warnings)) {
      res.headers().add(HttpHeaderNames.WARNING, warning);
    }
    write(ctx, req, res);
  }

  private static void write(ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse res) {
    HttpUtil.setContentLength(res, res.content().readableBytes());
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    HttpUtil.setKeepAlive(res, keepAlive);
    var f = ctx.writeAndFlush(res);
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
  }
}
