package dev.meridian.members.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.api.ResourceCodec;
import dev.meridian.members.MemberException;
import dev.meridian.members.MemberTimeouts;
import dev.meridian.members.ProbeResult;
import dev.meridian.members.ResourceAmounts;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One probe of a real cluster. The four reads ({@code /readyz}, {@code /version}, nodes, running
 * pods) go out at once on the shared event loop, so a probe takes about as long as the slowest
 * read, and the caller's thread is the only one that waits.
 */
final class KubernetesProbe {
  private static final int PAGE = 500;
  private static final String RUNNING_PODS =
      "spec.nodeName!=,status.phase!=Succeeded,status.phase!=Failed";

  private final String cluster;
  private final String base;
  private final HttpClient http;
  private final MemberTimeouts timeouts;

  KubernetesProbe(String cluster, String masterUrl, HttpClient http, MemberTimeouts timeouts) {
    this.cluster = cluster;
    this.base = masterUrl.endsWith("/") ? masterUrl : masterUrl + "/";
    this.http = http;
    this.timeouts = timeouts;
  }

  ProbeResult run() {
    long deadline = System.nanoTime() + timeouts.connect().toNanos() + timeouts.request().toNanos();
    long start = System.nanoTime();
    CompletableFuture<Timed> readyz =
        send("readyz").thenApply(r -> new Timed(r, System.nanoTime() - start));
    CompletableFuture<HttpResponse<byte[]>> version = send("version");
    CompletableFuture<HttpResponse<byte[]>> groups = send("apis");
    CompletableFuture<List<JsonNode>> nodes = listAll("api/v1/nodes?limit=" + PAGE, null);
    CompletableFuture<List<JsonNode>> pods =
        listAll(
            "api/v1/pods?limit="
                + PAGE
                + "&fieldSelector="
                + URLEncoder.encode(RUNNING_PODS, StandardCharsets.UTF_8),
            null);
    try {
      Timed ready = await(readyz, deadline);
      String readiness = body(ready.response()).trim();
      boolean isReady = ready.response().code() == 200;
      if (ready.response().code() == 401) {
        throw MemberException.rejected(cluster, 401, "Unauthorized");
      }
      JsonNode v = json(await(version, deadline), "version");
      List<JsonNode> nodeList = await(nodes, deadline);
      List<JsonNode> podList = await(pods, deadline);
      ResourceAmounts capacity = ResourceAmounts.ZERO;
      for (JsonNode n : nodeList) {
        capacity = capacity.plus(ResourceAmounts.parse(n.path("status").path("allocatable")));
      }
      ResourceAmounts used = ResourceAmounts.ZERO;
      for (JsonNode p : podList) {
        used = used.plus(ResourceAmounts.podRequests(p.path("spec")));
      }
      String gitVersion = v.path("gitVersion").asText("");
      List<String> served = servedApis(groups, deadline);
      return new ProbeResult(
          isReady,
          readiness.isEmpty() ? "HTTP " + ready.response().code() : firstLines(readiness),
          gitVersion,
          Distributions.detect(gitVersion, nodeList),
          capacity,
          capacity.minus(used).atLeastZero(),
          nodeList.size(),
          Duration.ofNanos(ready.nanos()),
          mostCommonLabel(nodeList, "topology.kubernetes.io/region"),
          mostCommonLabel(nodeList, "topology.kubernetes.io/zone"),
          Instant.now(),
          false,
          served);
    } finally {
      readyz.cancel(true);
      version.cancel(true);
      groups.cancel(true);
      nodes.cancel(true);
      pods.cancel(true);
    }
  }

  /**
   * The group/versions the member serves ({@code /apis}, plus the core {@code v1}), so the
   * scheduler does not send a template to a cluster that cannot take its apiVersion; null when
   * discovery could not be read (then only the built-in table of removed APIs applies).
   */
  private List<String> servedApis(CompletableFuture<HttpResponse<byte[]>> groups, long deadline) {
    try {
      HttpResponse<byte[]> r = await(groups, deadline);
      if (r.code() != 200) {
        return null;
      }
      List<String> out = new java.util.ArrayList<>(List.of("v1"));
      for (JsonNode g : json(r, "apis").path("groups")) {
        for (JsonNode v : g.path("versions")) {
          out.add(v.path("groupVersion").asText());
        }
      }
      return out;
    } catch (MemberException e) {
      return null;
    }
  }

  private record Timed(HttpResponse<byte[]> response, long nanos) {}

  private CompletableFuture<HttpResponse<byte[]>> send(String path) {
    HttpRequest req =
        http.newHttpRequestBuilder()
            .uri(base + path)
            .timeout(timeouts.request().toMillis(), TimeUnit.MILLISECONDS)
            .build();
    return http.sendAsync(req, byte[].class);
  }

  /** Every item of a list, following {@code continue} tokens page by page. */
  private CompletableFuture<List<JsonNode>> listAll(String path, String cont) {
    String url =
        cont == null ? path : path + "&continue=" + URLEncoder.encode(cont, StandardCharsets.UTF_8);
    return send(url)
        .thenCompose(
            r -> {
              JsonNode page = json(r, "list");
              List<JsonNode> items = new ArrayList<>();
              page.path("items").forEach(items::add);
              String next = page.path("metadata").path("continue").asText("");
              if (next.isEmpty()) {
                return CompletableFuture.completedFuture(items);
              }
              return listAll(path, next)
                  .thenApply(
                      rest -> {
                        items.addAll(rest);
                        return items;
                      });
            });
  }

  private JsonNode json(HttpResponse<byte[]> r, String what) {
    byte[] body = r.body() == null ? new byte[0] : r.body();
    JsonNode node;
    try {
      node = ResourceCodec.JSON.readTree(body);
    } catch (IOException e) {
      node = null;
    }
    if (r.code() / 100 != 2) {
      String msg =
          node != null && node.hasNonNull("message")
              ? node.get("message").asText()
              : firstLines(new String(body, StandardCharsets.UTF_8));
      throw MemberException.rejected(cluster, r.code(), msg);
    }
    if (node == null || !node.isObject()) {
      throw MemberException.rejected(cluster, r.code(), "unreadable " + what + " answer");
    }
    return node;
  }

  private <T> T await(CompletableFuture<T> f, long deadline) {
    try {
      return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw MemberException.unreachable(cluster, "interrupted while probing " + base, e);
    } catch (ExecutionException e) {
      throw KubernetesFailures.translate(cluster, base, e.getCause());
    } catch (TimeoutException e) {
      throw KubernetesFailures.translate(cluster, base, e);
    }
  }

  private static String body(HttpResponse<byte[]> r) {
    return r.body() == null ? "" : new String(r.body(), StandardCharsets.UTF_8);
  }

  private static String firstLines(String s) {
    String t = s.strip();
    return t.length() > 500 ? t.substring(0, 500) + "..." : t;
  }

  static String mostCommonLabel(List<JsonNode> nodes, String label) {
    Map<String, Integer> counts = new HashMap<>();
    for (JsonNode n : nodes) {
      String v = n.path("metadata").path("labels").path(label).asText("");
      if (!v.isEmpty()) {
        counts.merge(v, 1, Integer::sum);
      }
    }
    // ties go to the alphabetically first value, so every hub replica agrees
    return counts.entrySet().stream()
        .sorted(
            Map.Entry.<String, Integer>comparingByValue()
                .reversed()
                .thenComparing(Map.Entry.comparingByKey()))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElse(null);
  }
}
