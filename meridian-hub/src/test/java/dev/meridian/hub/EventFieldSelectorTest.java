package dev.meridian.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Event field selectors kube-apiserver supports, which {@code kubectl describe} uses to find an
 * object's events ({@code involvedObject.name=...,involvedObject.namespace=...,
 * involvedObject.kind=...,involvedObject.uid=...}).
 */
class EventFieldSelectorTest {
  static final String EVENTS = "/api/v1/namespaces/default/events";

  @TempDir Path dir;

  static String event(String name, String kind, String object, String type, String source) {
    return """
        {"apiVersion":"v1","kind":"Event","metadata":{"name":"%s"},"type":"%s","reason":"Moved",
         "involvedObject":{"kind":"%s","name":"%s","namespace":"default","uid":"u-%s"},
         "source":{"component":"%s"}}"""
        .formatted(name, type, kind, object, object, source);
  }

  static List<String> names(TestClient.Response r) {
    assertThat(r.code()).as(r.body()).isEqualTo(200);
    List<String> names = new ArrayList<>();
    for (JsonNode i : r.json().path("items")) {
      names.add(i.path("metadata").path("name").asText());
    }
    return names;
  }

  @Test
  void selectsEventsByTheirObjectTypeAndSource() {
    try (Hub hub = Hub.start(HubOptions.of(dir, "127.0.0.1", 0).withControllers(false))) {
      // Given
      TestClient client = TestClient.of(hub);
      client.post(EVENTS, event("a", "Deployment", "web", "Normal", "meridian-propagation"));
      client.post(EVENTS, event("b", "Deployment", "api", "Warning", "meridian-propagation"));
      client.post(EVENTS, event("c", "Cluster", "web", "Warning", "meridian-fleet"));
      // Then: what kubectl describe deployment web asks for
      assertThat(
              names(
                  client.get(
                      EVENTS
                          + "?fieldSelector=involvedObject.name%3Dweb,"
                          + "involvedObject.namespace%3Ddefault,involvedObject.kind%3DDeployment,"
                          + "involvedObject.uid%3Du-web")))
          .containsExactly("a");
      assertThat(names(client.get(EVENTS + "?fieldSelector=type%3DWarning")))
          .containsExactlyInAnyOrder("b", "c");
      assertThat(names(client.get(EVENTS + "?fieldSelector=source%21%3Dmeridian-fleet")))
          .containsExactlyInAnyOrder("a", "b");
      assertThat(names(client.get(EVENTS + "?fieldSelector=reason%3DMoved,metadata.name%3Dc")))
          .containsExactly("c");
    }
  }

  @Test
  void otherKindsStillRefuseEventFields() {
    try (Hub hub = Hub.start(HubOptions.of(dir, "127.0.0.1", 0).withControllers(false))) {
      TestClient client = TestClient.of(hub);
      var r = client.get("/api/v1/namespaces/default/configmaps?fieldSelector=reason%3Dx");
      assertThat(r.code()).isEqualTo(400);
      assertThat(r.body()).contains("field label not supported: reason");
      var e = client.get(EVENTS + "?fieldSelector=count%3D1");
      assertThat(e.code()).isEqualTo(400);
      assertThat(e.body()).contains("field label not supported: count");
    }
  }
}
