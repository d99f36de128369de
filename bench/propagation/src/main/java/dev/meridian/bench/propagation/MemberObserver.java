package dev.meridian.bench.propagation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.ResourceType;
import dev.meridian.hub.Hub;
import dev.meridian.hub.ResourceService;
import dev.meridian.members.MemberCluster;
import dev.meridian.members.MemberEvent;
import dev.meridian.members.MemberWatch;
import dev.meridian.members.WatchTarget;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs in the hub's JVM and tells the bench what the simulated member clusters hold, as someone
 * watching each member would see it: a {@link MemberCluster#watch} on Deployments per member (the
 * same informer-style watch the hub's own controllers get), no polling, nothing read through the
 * hub's store. Only changes of the two marks the bench sets are reported, one line each:
 *
 * <pre>
 *   E CLUSTER NAMESPACE NAME SPEC_MARK META_MARK TYPE
 * </pre>
 *
 * where SPEC_MARK is the pod template's annotation {@value #SPEC_MARK} and META_MARK the object's
 * own annotation {@value #META_MARK} ({@code -} when absent). Commands, one per line, answered by
 * one line starting with {@code OK} or {@code ERR}:
 *
 * <ul>
 *   <li>{@code OBSERVE NS C1,C2,...}: watch Deployments in NS on those members;
 *   <li>{@code UNOBSERVE NS}: stop those watches;
 *   <li>{@code COUNT NS}: how many Works, ResourceBindings and Deployments the hub's store holds in
 *       NS (keys counted, nothing decoded).
 * </ul>
 *
 * Loopback only, one connection. A simulated watch delivers an event one API latency after the
 * member stored the change, as a real watch would over the network: the bench's figures include
 * that hop.
 */
final class MemberObserver implements AutoCloseable {
  static final String SPEC_MARK = "bench.meridian.dev/mark";
  static final String META_MARK = "bench.meridian.dev/meta";

  private final Hub hub;
  private final ServerSocket server;
  private final BlockingQueue<String> out = new LinkedBlockingQueue<>();
  private final Map<String, String> last = new ConcurrentHashMap<>();
  private final Map<String, List<MemberWatch>> watches = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private MemberObserver(Hub hub, ServerSocket server) {
    this.hub = hub;
    this.server = server;
  }

  static MemberObserver start(Hub hub) throws IOException {
    ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    MemberObserver o = new MemberObserver(hub, s);
    Thread t = new Thread(o::serve, "bench-observer");
    t.setDaemon(true);
    t.start();
    return o;
  }

  int port() {
    return server.getLocalPort();
  }

  private void serve() {
    try (Socket s = server.accept()) {
      s.setTcpNoDelay(true);
      Thread writer = new Thread(() -> write(s), "bench-observer-out");
      writer.setDaemon(true);
      writer.start();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        out.add(command(line.trim()));
      }
    } catch (IOException e) {
      if (!closed) {
        System.err.println("observer: " + e);
      }
    }
  }

  /** Sends queued lines, flushing whenever the queue runs dry (batches under load). */
  private void write(Socket s) {
    try (BufferedWriter w =
        new BufferedWriter(
            new OutputStreamWriter(s.getOutputStream(), StandardCharsets.UTF_8), 1 << 16)) {
      while (!closed) {
        String line = out.poll(1, TimeUnit.SECONDS);
        if (line == null) {
          continue;
        }
        w.write(line);
        w.write('\n');
        if (out.isEmpty()) {
          w.flush();
        }
      }
    } catch (IOException | InterruptedException e) {
      if (!closed) {
        System.err.println("observer output: " + e);
      }
    }
  }

  private String command(String line) {
    String[] f = line.split(" ");
    try {
      switch (f[0]) {
        case "OBSERVE":
          return observe(f[1], f[2].split(","));
        case "UNOBSERVE":
          List<MemberWatch> ws = watches.remove(f[1]);
          if (ws != null) {
            ws.forEach(MemberWatch::close);
          }
          return "OK UNOBSERVE " + f[1];
        case "COUNT":
          return "OK COUNT "
              + f[1]
              + " works="
              + count("work.meridian.dev/v1alpha1", "Work", f[1])
              + " bindings="
              + count("work.meridian.dev/v1alpha1", "ResourceBinding", f[1])
              + " deployments="
              + count("apps/v1", "Deployment", f[1]);
        default:
          return "ERR unknown command " + line;
      }
    } catch (RuntimeException e) {
      return "ERR " + e.toString().replace('\n', ' ');
    }
  }

  private String observe(String ns, String[] clusters) {
    List<MemberWatch> ws = watches.computeIfAbsent(ns, k -> new ArrayList<>());
    List<String> missing = new ArrayList<>();
    for (String c : clusters) {
      MemberCluster m = hub.members().connected(c);
      if (m == null) {
        missing.add(c);
        continue;
      }
      synchronized (ws) {
        ws.add(
            m.watch(
                WatchTarget.inNamespace("apps/v1", "Deployment", ns),
                event -> onEvent(c, ns, event)));
      }
    }
    return "OK OBSERVE "
        + ns
        + " watched="
        + (clusters.length - missing.size())
        + " missing="
        + missing;
  }

  private void onEvent(String cluster, String ns, MemberEvent e) {
    ObjectNode o = e.object();
    String name = o.path("metadata").path("name").asText();
    String key = cluster + " " + ns + " " + name;
    if (e.type() == MemberEvent.Type.DELETED) {
      last.remove(key);
      out.add("E " + key + " - - DELETED");
      return;
    }
    String marks =
        mark(o.path("spec").path("template").path("metadata"), SPEC_MARK)
            + " "
            + mark(o.path("metadata"), META_MARK);
    if (!marks.equals(last.put(key, marks))) {
      out.add("E " + key + " " + marks + " " + e.type());
    }
  }

  private static String mark(JsonNode meta, String annotation) {
    String v = meta.path("annotations").path(annotation).asText("");
    return v.isEmpty() ? "-" : v;
  }

  private int count(String apiVersion, String kind, String ns) {
    ResourceType t =
        hub.resources()
            .types()
            .byKind(apiVersion, kind)
            .orElseThrow(() -> new IllegalStateException(kind));
    return hub.resources().store().list(ResourceService.prefix(t, ns)).items().size();
  }

  @Override
  public void close() {
    closed = true;
    watches.values().forEach(ws -> ws.forEach(MemberWatch::close));
    try {
      server.close();
    } catch (IOException e) {
      // going away anyway
    }
  }
}
