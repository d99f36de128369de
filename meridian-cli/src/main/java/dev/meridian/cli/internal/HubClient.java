package dev.meridian.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.ResourceCodec;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * The hub's REST API over HTTP/1.1: JSON in and out, errors turned into {@link HubException} (the
 * hub answered) or {@link CliException} (it could not be reached). The {@code Warning} headers of
 * every answer go to the client's warning consumer (the CLI prints them as kubectl does).
 */
public final class HubClient {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final String JSON = "application/json";

  private final HubEndpoint endpoint;
  private final HttpClient http;
  private final Consumer<String> warnings;

  /**
   * @param warnings receives the text of each warning the hub sends ({@code Warning: 299 - "text"}
   *     headers), whatever the outcome of the request
   */
  public HubClient(HubEndpoint endpoint, Consumer<String> warnings) {
    this(endpoint, HttpClients.forEndpoint(endpoint), warnings);
  }

  HubClient(HubEndpoint endpoint, HttpClient http, Consumer<String> warnings) {
    this.endpoint = endpoint;
    this.http = http;
    this.warnings = warnings;
  }

  public JsonNode get(String path) {
    return send(request(path).GET());
  }

  public ObjectNode getObject(String path) {
    return asObject(get(path), path);
  }

  /** The object at {@code path}, or empty when the hub answers 404. */
  public Optional<ObjectNode> find(String path) {
    try {
      return Optional.of(getObject(path));
    } catch (HubException e) {
      if (e.isNotFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  public ObjectNode create(String collectionPath, ObjectNode obj) {
    return create(collectionPath, obj, false);
  }

  /**
   * Creates; with {@code dryRun} the hub validates, admits and answers the result but stores
   * nothing ({@code ?dryRun=All}).
   */
  public ObjectNode create(String collectionPath, ObjectNode obj, boolean dryRun) {
    String path = dryRun(collectionPath, dryRun);
    return asObject(send(request(path).header("Content-Type", JSON).POST(body(obj))), path);
  }

  public ObjectNode replace(String objectPath, ObjectNode obj) {
    return replace(objectPath, obj, false);
  }

  /** Replaces; with {@code dryRun} nothing is stored ({@code ?dryRun=All}). */
  public ObjectNode replace(String objectPath, ObjectNode obj, boolean dryRun) {
    String path = dryRun(objectPath, dryRun);
    return asObject(send(request(path).header("Content-Type", JSON).PUT(body(obj))), path);
  }

  private static String dryRun(String path, boolean dryRun) {
    return dryRun ? path + (path.contains("?") ? "&" : "?") + "dryRun=All" : path;
  }

  /**
   * Server-side apply of {@code obj} as {@code fieldManager} (a PATCH of type {@code
   * application/apply-patch+yaml}); {@code force} takes over fields other managers own.
   */
  public ObjectNode apply(
      String objectPath, ObjectNode obj, String fieldManager, boolean force, boolean dryRun) {
    String path =
        dryRun(
            objectPath
                + (objectPath.contains("?") ? "&" : "?")
                + "fieldManager="
                + java.net.URLEncoder.encode(fieldManager, java.nio.charset.StandardCharsets.UTF_8)
                + (force ? "&force=true" : ""),
            dryRun);
    return asObject(
        send(
            request(path)
                .header("Content-Type", "application/apply-patch+yaml")
                .method("PATCH", body(obj))),
        path);
  }

  /** Applies a JSON merge patch (RFC 7386). */
  public ObjectNode mergePatch(String objectPath, ObjectNode patch) {
    return asObject(
        send(
            request(objectPath)
                .header("Content-Type", "application/merge-patch+json")
                .method("PATCH", body(patch))),
        objectPath);
  }

  public JsonNode delete(String objectPath) {
    return send(request(objectPath).DELETE());
  }

  /**
   * Streams the watch at {@code path} (which carries {@code watch=true}) to {@code onEvent}, on the
   * calling thread, until the hub ends the stream. Waits without a time limit; interrupting the
   * thread closes the stream and ends the watch with {@link Interrupted}.
   *
   * <p>Lines are pushed by the HTTP client into a queue that this thread takes from: a blocking
   * read of the response stream itself ignores interrupts on Java 17.
   */
  public void watch(String path, Consumer<WatchEvent> onEvent) {
    HttpRequest req =
        HttpRequest.newBuilder(uri(path)).headers(headers()).GET().build(); // no request timeout
    LineQueue lines = new LineQueue();
    AtomicInteger status = new AtomicInteger();
    CompletableFuture<HttpResponse<Void>> response =
        http.sendAsync(
            req,
            info -> {
              status.set(info.statusCode());
              warn(info.headers());
              return HttpResponse.BodySubscribers.fromLineSubscriber(lines);
            });
    response.whenComplete((r, failure) -> lines.fail(failure));
    StringBuilder errorBody = new StringBuilder();
    try {
      for (String line = lines.take(); line != null; line = lines.take()) {
        if (status.get() != 200) {
          errorBody.append(line).append('\n');
        } else if (!line.isBlank()) {
          onEvent.accept(event(line));
        }
      }
      if (status.get() != 200) {
        throw failure(status.get(), errorBody.toString().getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Interrupted();
    } finally {
      lines.cancel();
      response.cancel(true);
    }
  }

  private static WatchEvent event(String line) {
    JsonNode node = parse(line.getBytes(StandardCharsets.UTF_8));
    JsonNode object = node.path("object");
    if (!node.path("type").isTextual() || !object.isObject()) {
      throw new MalformedResponse("the hub sent a watch event without a type or object");
    }
    return new WatchEvent(node.path("type").asText(), (ObjectNode) object);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT).headers(headers());
  }

  private URI uri(String path) {
    return URI.create(endpoint.url() + path);
  }

  private String[] headers() {
    String agent = "meridian-cli/" + ClientVersion.VERSION;
    return endpoint
        .token()
        .map(
            t -> new String[] {"Accept", JSON, "User-Agent", agent, "Authorization", "Bearer " + t})
        .orElse(new String[] {"Accept", JSON, "User-Agent", agent});
  }

  private static HttpRequest.BodyPublisher body(ObjectNode obj) {
    return HttpRequest.BodyPublishers.ofByteArray(ResourceCodec.toJsonBytes(obj));
  }

  private JsonNode send(HttpRequest.Builder builder) {
    HttpRequest req = builder.build();
    HttpResponse<byte[]> resp = exchange(req, HttpResponse.BodyHandlers.ofByteArray());
    warn(resp.headers());
    if (resp.statusCode() / 100 != 2) {
      throw failure(resp.statusCode(), resp.body());
    }
    if (resp.body().length == 0) {
      return MissingNode.getInstance();
    }
    return parse(resp.body());
  }

  private void warn(HttpHeaders headers) {
    Warnings.texts(headers.allValues("Warning")).forEach(warnings);
  }

  private <T> HttpResponse<T> exchange(HttpRequest req, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(req, handler);
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Interrupted();
    }
  }

  private static JsonNode parse(byte[] body) {
    try {
      return ResourceCodec.JSON.readTree(body);
    } catch (IOException e) {
      throw new MalformedResponse("the hub sent a response that is not JSON: " + OneLine.cause(e));
    }
  }

  private static ObjectNode asObject(JsonNode node, String path) {
    if (!node.isObject()) {
      throw new MalformedResponse("the hub sent no object for " + path);
    }
    return (ObjectNode) node;
  }

  /** The error the hub answered with: its Status message, or the HTTP code and body. */
  static HubException failure(int code, byte[] body) {
    JsonNode status;
    try {
      status = ResourceCodec.JSON.readTree(body);
    } catch (IOException | RuntimeException e) {
      status = MissingNode.getInstance();
    }
    if (status != null && "Status".equals(status.path("kind").asText())) {
      return new HubException(
          code, status.path("reason").asText(""), StatusMessages.message(status, code));
    }
    String text = OneLine.safe(new String(body, StandardCharsets.UTF_8));
    if (text.length() > 200) {
      text = text.substring(0, 200) + "...";
    }
    return new HubException(
        code, "", "the hub answered HTTP " + code + (text.isEmpty() ? "" : ": " + text));
  }

  private CliException unreachable(IOException e) {
    if (Thread.currentThread().isInterrupted() || hasCause(e, InterruptedException.class)) {
      return new Interrupted();
    }
    String where = "cannot reach the hub at " + endpoint.url() + ": ";
    if (e instanceof HttpConnectTimeoutException) {
      return new CliException(
          where + "connection timed out after " + CONNECT_TIMEOUT.toSeconds() + "s", e);
    }
    if (e instanceof HttpTimeoutException) {
      return new CliException(
          "the hub at "
              + endpoint.url()
              + " did not answer within "
              + REQUEST_TIMEOUT.toSeconds()
              + "s",
          e);
    }
    if (hasCause(e, UnknownHostException.class) || hasCause(e, UnresolvedAddressException.class)) {
      return new CliException(where + "unknown host " + URI.create(endpoint.url()).getHost(), e);
    }
    if (hasCause(e, ConnectException.class)) {
      return new CliException(where + "connection refused", e);
    }
    if (hasCause(e, CertPathValidatorException.class)
        || hasCause(e, CertPathBuilderException.class)) {
      return new CliException(
          where
              + "its certificate is not signed by a trusted CA (give the hub's ca.crt with"
              + " --ca-file or MERIDIAN_CA_FILE)",
          e);
    }
    if (hasCause(e, CertificateException.class)) {
      return new CliException(where + "its certificate does not match: " + rootCause(e), e);
    }
    if (hasCause(e, SSLException.class)) {
      return new CliException(where + "TLS failed: " + rootCause(e), e);
    }
    return new CliException(where + OneLine.cause(e), e);
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return OneLine.cause(t);
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /** The hub answered 2xx with something that is not what the API promises. */
  public static final class MalformedResponse extends CliException {
    MalformedResponse(String message) {
      super(message);
    }
  }

  /** The command was interrupted (Ctrl-C, or a test stopping a watch) while talking to the hub. */
  public static final class Interrupted extends CliException {
    Interrupted() {
      super("interrupted", 130);
    }
  }

  /** Receives a response's lines from the HTTP client and hands them to the watching thread. */
  private static final class LineQueue implements Flow.Subscriber<String> {
    private static final Object END = new Object();
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private volatile Flow.Subscription subscription;

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
      queue.add(line);
    }

    @Override
    public void onError(Throwable t) {
      queue.add(t);
    }

    @Override
    public void onComplete() {
      queue.add(END);
    }

    /** The request failed before or while the body streamed; null when it simply completed. */
    void fail(Throwable t) {
      if (t != null) {
        queue.add(t);
      }
    }

    /** The next line, or null at the end of the stream. */
    String take() throws InterruptedException, IOException {
      Object item = queue.take();
      if (item == END) {
        return null;
      }
      if (item instanceof Throwable t) {
        Throwable cause =
            t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        throw cause instanceof IOException io ? io : new IOException(cause);
      }
      return (String) item;
    }

    void cancel() {
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
    }
  }
}
