package dev.meridian.gateway.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's {@code GlobalRoute}s of every namespace, by list and then watch, as kube clients do (a
 * reflector): the list gives a consistent set and its revision, the watch continues from there; a
 * watch that ends is resumed from the last revision seen, and one refused as too old (410) or
 * broken starts again from a list. While the hub is unreachable nothing is delivered, so the
 * gateway keeps serving the last set it had; retries back off from 250 ms to 10 s.
 *
 * <p>Events that arrive together are delivered as one set: while more of a burst is already
 * buffered, the source reads on before it hands the set over (for at most {@link #MAX_HOLD}), so a
 * burst of changes costs one compilation, not one per object, and a lone change none of waiting.
 */
public final class HubRouteSource implements RouteSource {
  private static final Logger LOG = LoggerFactory.getLogger(HubRouteSource.class);
  static final String PATH = "/apis/network.meridian.dev/v1alpha1/globalroutes";
  static final Duration MAX_HOLD = Duration.ofMillis(100);
  private static final long MIN_BACKOFF_MS = 250;
  private static final long MAX_BACKOFF_MS = 10_000;

  private final HttpClient http;
  private final URI hub;
  private final String token;
  private final Map<String, ObjectNode> routes = new TreeMap<>();
  private volatile boolean closed;
  private volatile InputStream body;
  private Thread thread;
  private String revision = "";
  private boolean reportedDown;

  /**
   * @param http the client (its TLS context trusts the hub's CA)
   * @param hub the hub's base URL, e.g. {@code https://127.0.0.1:7800}
   * @param token a bearer token, or null
   */
  public HubRouteSource(HttpClient http, URI hub, String token) {
    this.http = http;
    this.hub = hub;
    this.token = token;
  }

  @Override
  public synchronized void start(Listener listener) {
    if (thread != null) {
      throw new IllegalStateException("already started");
    }
    thread = new Thread(() -> run(listener), "meridian-gateway-hub-watch");
    thread.setDaemon(true);
    thread.start();
  }

  private void run(Listener listener) {
    long backoff = MIN_BACKOFF_MS;
    while (!closed) {
      try {
        if (revision.isEmpty()) {
          list();
          reachable();
          listener.routes(snapshot());
        }
        backoff = MIN_BACKOFF_MS;
        watch(listener);
      } catch (Gone e) {
        LOG.info("watch of GlobalRoutes restarts from a list: {}", e.getMessage());
        revision = "";
        continue;
      } catch (IOException | HubError e) {
        if (closed) {
          return;
        }
        if (!reportedDown) {
          LOG.warn(
              "hub {} unreachable ({}); serving the last configuration ({} routes) until it is"
                  + " back",
              hub,
              e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(),
              routes.size());
          reportedDown = true;
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warn("watch of GlobalRoutes failed; restarting from a list", e);
        revision = "";
      }
      sleep(backoff);
      backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
    }
  }

  private void list() throws IOException, InterruptedException {
    HttpResponse<byte[]> resp =
        http.send(request(PATH).build(), HttpResponse.BodyHandlers.ofByteArray());
    if (resp.statusCode() != 200) {
      throw new HubError("listing GlobalRoutes: HTTP " + resp.statusCode());
    }
    ObjectNode list = ResourceCodec.readObject(resp.body(), false);
    routes.clear();
    for (JsonNode item : list.path("items")) {
      if (item instanceof ObjectNode o) {
        routes.put(key(o), o);
      }
    }
    revision = list.path("metadata").path("resourceVersion").asText("");
    if (revision.isEmpty()) {
      throw new HubError("the hub's list of GlobalRoutes carries no resourceVersion");
    }
  }

  private void watch(Listener listener) throws IOException, InterruptedException {
    HttpResponse<InputStream> resp =
        http.send(
            request(PATH + "?watch=true&resourceVersion=" + revision).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = resp.body()) {
      if (resp.statusCode() == 410) {
        throw new Gone("HTTP 410");
      }
      if (resp.statusCode() != 200) {
        throw new HubError("watching GlobalRoutes: HTTP " + resp.statusCode());
      }
      body = in;
      if (closed) {
        return;
      }
      reachable();
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      boolean dirty = false;
      long since = 0;
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.isBlank()
            && apply(ResourceCodec.readObject(line.getBytes(StandardCharsets.UTF_8), false))
            && !dirty) {
          dirty = true;
          since = System.nanoTime();
        }
        // a burst already in the buffer is delivered as one set, but never held back for long
        if (dirty && (!reader.ready() || System.nanoTime() - since > MAX_HOLD.toNanos())) {
          listener.routes(snapshot());
          dirty = false;
        }
      }
      if (dirty) {
        listener.routes(snapshot());
      }
    } finally {
      body = null;
    }
  }

  /** Applies one watch event; returns whether the set of routes changed. */
  private boolean apply(ObjectNode event) {
    String type = event.path("type").asText();
    JsonNode obj = event.path("object");
    if (!(obj instanceof ObjectNode o)) {
      throw new HubError("watch event without an object");
    }
    switch (type) {
      case "ADDED", "MODIFIED" -> {
        revision = Meta.resourceVersion(o);
        routes.put(key(o), o);
        return true;
      }
      case "DELETED" -> {
        revision = Meta.resourceVersion(o);
        return routes.remove(key(o)) != null;
      }
      case "BOOKMARK" -> {
        revision = Meta.resourceVersion(o);
        return false;
      }
      case "ERROR" -> {
        if (o.path("code").asInt() == 410) {
          throw new Gone(o.path("message").asText("too old resource version"));
        }
        throw new HubError("watch error: " + o.path("message").asText());
      }
      default -> throw new HubError("unknown watch event type " + type);
    }
  }

  private void reachable() {
    if (reportedDown) {
      LOG.info("hub {} reachable again", hub);
      reportedDown = false;
    }
  }

  private List<ObjectNode> snapshot() {
    List<ObjectNode> list = new ArrayList<>(routes.values());
    list.sort(Comparator.comparing(HubRouteSource::key));
    return List.copyOf(list);
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(hub.resolve(path)).GET();
    b.header("Accept", "application/json");
    if (token != null && !token.isEmpty()) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private static String key(ObjectNode o) {
    return Meta.namespace(o) + "/" + Meta.name(o);
  }

  private void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  @Override
  public void close() {
    closed = true;
    InputStream in = body;
    if (in != null) {
      try {
        in.close();
      } catch (IOException ignored) {
        // closing a stream that is being read: the reader ends either way
      }
    }
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
  }

  /** The hub refused the watch's revision as too old: start again from a list. */
  private static final class Gone extends RuntimeException {
    Gone(String message) {
      super(message);
    }
  }

  /** The hub answered, but not as expected. */
  private static final class HubError extends RuntimeException {
    HubError(String message) {
      super(message);
    }
  }
}
