package dev.meridian.gateway.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRouteSourceTest {
  @TempDir Path dir;

  static String route(String name, int port) {
    return """
        apiVersion: network.meridian.dev/v1alpha1
        kind: GlobalRoute
        metadata: {name: %s}
        spec:
          rules:
          - backendRefs:
            - kind: Static
              name: vms
              endpoints: [{address: 127.0.0.1, port: %d, cluster: dc-1}]
        """
        .formatted(name, port);
  }

  @Test
  void readsEveryRouteFileOfADirectoryInTheDefaultNamespace() throws Exception {
    // Given
    Files.writeString(dir.resolve("a.yaml"), route("a", 9001) + "---\n" + route("b", 9002));
    Files.writeString(dir.resolve("c.json.txt"), "not a route file");
    // When
    List<ObjectNode> routes = new FileRouteSource(dir).read();
    // Then
    assertThat(routes)
        .extracting(r -> Meta.namespace(r) + "/" + Meta.name(r))
        .containsExactly("default/a", "default/b");
  }

  @Test
  void aBadRouteIsRefusedWithItsFileAndField() throws Exception {
    // Given: a schema error, a semantic error, another kind, a duplicate
    Path schema = Files.writeString(dir.resolve("schema.yaml"), route("a", 70000));
    Path semantic =
        Files.writeString(
            dir.resolve("semantic.yaml"),
            route("a", 9001).replace("- kind: Static", "- kind: Static\n      port: 80"));
    Path kind =
        Files.writeString(
            dir.resolve("kind.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
    Path twice =
        Files.writeString(dir.resolve("twice.yaml"), route("a", 9001) + "---\n" + route("a", 9002));
    // Then
    assertThatThrownBy(() -> new FileRouteSource(schema).read())
        .hasMessageContaining("schema.yaml")
        .hasMessageContaining("port");
    assertThatThrownBy(() -> new FileRouteSource(semantic).read())
        .hasMessageContaining("semantic.yaml")
        .hasMessageContaining("spec.rules[0].backendRefs[0].port");
    assertThatThrownBy(() -> new FileRouteSource(kind).read())
        .hasMessageContaining("only GlobalRoutes");
    assertThatThrownBy(() -> new FileRouteSource(twice).read()).hasMessageContaining("twice");
  }

  @Test
  void aChangedFileIsReadAgainAndABadChangeKeepsThePreviousRoutes() throws Exception {
    // Given
    Path file = Files.writeString(dir.resolve("routes.yaml"), route("a", 9001));
    BlockingQueue<List<ObjectNode>> sets = new LinkedBlockingQueue<>();
    try (FileRouteSource source = new FileRouteSource(file)) {
      source.start(sets::add);
      assertThat(sets.poll(5, TimeUnit.SECONDS)).hasSize(1);
      // When: a bad version, then a good one
      Files.writeString(file, "spec: [");
      Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
      assertThat(sets.poll(2500, TimeUnit.MILLISECONDS)).as("nothing from a bad file").isNull();
      Files.writeString(file, route("a", 9001) + "---\n" + route("b", 9002));
      Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
      // Then
      assertThat(sets.poll(5, TimeUnit.SECONDS)).hasSize(2);
    }
  }
}
