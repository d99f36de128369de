package dev.meridian.gateway;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Request heads for tests: {@code Requests.get("shop.example.com", "/api").header("X",
 * "y").head()}.
 */
public final class Requests {

  private String method = "GET";
  private final String host;
  private String path;
  private String query = "";
  private final Map<String, List<String>> headers = new LinkedHashMap<>();
  private InetSocketAddress client = new InetSocketAddress("127.0.0.1", 50000);
  private boolean tls;

  private Requests(String host, String path) {
    this.host = host;
    int q = path.indexOf('?');
    this.path = q < 0 ? path : path.substring(0, q);
    this.query = q < 0 ? "" : path.substring(q + 1);
  }

  public static Requests get(String host, String pathAndQuery) {
    return new Requests(host, pathAndQuery);
  }

  public static RequestHead head(String host, String pathAndQuery) {
    return get(host, pathAndQuery).head();
  }

  public Requests method(String m) {
    this.method = m;
    return this;
  }

  public Requests header(String name, String value) {
    headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
    return this;
  }

  public Requests client(String ip) {
    this.client = new InetSocketAddress(ip, 50000);
    return this;
  }

  public Requests tls() {
    this.tls = true;
    return this;
  }

  public RequestHead head() {
    Map<String, List<String>> h = Map.copyOf(headers);
    Headers view =
        new Headers() {
          @Override
          public String get(String name) {
            List<String> l = h.get(name.toLowerCase(Locale.ROOT));
            return l == null ? null : l.get(0);
          }

          @Override
          public List<String> getAll(String name) {
            return h.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
          }
        };
    return new RequestHead(method, host, path, query, view, client, tls);
  }
}
