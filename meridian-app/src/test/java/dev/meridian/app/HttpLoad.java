package dev.meridian.app;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A load client for failover tests: {@code threads} loops sending GETs over keep-alive connections
 * until stopped (or {@code limit} has passed, so it always ends), recording every answer's status
 * and the cluster that served it ({@code X-Meridian-Cluster}), with the time it arrived, and every
 * socket error.
 */
final class HttpLoad implements AutoCloseable {
  /** One answer: when it arrived (nanoTime), its status, the cluster that served it. */
  record Answer(long at, int status, String cluster) {}

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
  private final AtomicLong sent = new AtomicLong();
  private final List<Thread> threads = new ArrayList<>();

  HttpLoad(URI target, Map<String, String> headers, int threads, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(5)).GET();
    headers.forEach(b::header);
    HttpRequest request = b.build();
    for (int i = 0; i < threads; i++) {
      Thread t =
          new Thread(
              () -> {
                while (!stop.get() && System.nanoTime() < deadline) {
                  sent.incrementAndGet();
                  try {
                    HttpResponse<String> r =
                        http.send(request, HttpResponse.BodyHandlers.ofString());
                    answers.add(
                        new Answer(
                            System.nanoTime(),
                            r.statusCode(),
                            r.headers().firstValue("X-Meridian-Cluster").orElse("")));
                  } catch (InterruptedException e) {
                    return;
                  } catch (Exception e) {
                    errors.add(e.toString());
                  }
                }
              },
              "http-load-" + i);
      t.setDaemon(true);
      t.start();
      this.threads.add(t);
    }
  }

  List<Answer> answers() {
    return List.copyOf(answers);
  }

  List<String> errors() {
    return List.copyOf(errors);
  }

  long sent() {
    return sent.get();
  }

  /** Answers per cluster among those that arrived after {@code since} (nanoTime). */
  Map<String, Long> clustersSince(long since) {
    Map<String, Long> counts = new ConcurrentHashMap<>();
    for (Answer a : answers) {
      if (a.at() > since) {
        counts.merge(a.cluster(), 1L, Long::sum);
      }
    }
    return counts;
  }

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    for (Thread t : threads) {
      t.join(10_000);
    }
  }
}
