package dev.meridian.gateway.netty;

import dev.meridian.gateway.EndpointFeedback;
import dev.meridian.gateway.Gateway;
import dev.meridian.gateway.GatewayOptions;
import dev.meridian.gateway.RoutingTable;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A started gateway on loopback, a client for it, and the feedback it gave. */
final class GatewayFixture implements AutoCloseable {

  record Report(String endpoint, String outcome) {}

  final List<Report> feedback = new CopyOnWriteArrayList<>();
  final Gateway gateway;
  final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  GatewayFixture(RoutingTable table) {
    this(
        GatewayOptions.builder("127.0.0.1", 0).eventLoops(2).build(),
        table,
        new SimpleMeterRegistry());
  }

  GatewayFixture(GatewayOptions options, RoutingTable table, MeterRegistry registry) {
    gateway =
        Gateway.start(
            options,
            table,
            new EndpointFeedback() {
              @Override
              public void success(dev.meridian.gateway.Endpoint endpoint, long latencyNanos) {
                feedback.add(new Report(endpoint.id(), "success"));
              }

              @Override
              public void failure(dev.meridian.gateway.Endpoint endpoint, Failure failure) {
                feedback.add(new Report(endpoint.id(), failure.name()));
              }
            },
            registry);
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + gateway.address().getPort() + path);
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    gateway.close();
  }
}
