package dev.meridian.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceCodecTest {

  @Test
  void readsMultiDocumentYamlAndLists() {
    // Given
    String text =
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: a}
        ---
        ---
        apiVersion: v1
        kind: List
        items:
        - {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}
        - {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}
        """;
    // When
    var docs = ResourceCodec.readDocuments(text);
    // Then
    assertThat(docs).extracting(Meta::name).containsExactly("a", "b", "c");
  }

  @Test
  void resolvesAnchorsAliasesAndMergeKeys() {
    // When
    var doc =
        ResourceCodec.readDocuments(
                """
                base: &base {cpu: 100m, memory: 64Mi}
                small: *base
                big:
                  <<: *base
                  memory: 1Gi
                list: [*base]
                """)
            .get(0);
    // Then
    assertThat(doc.path("small").path("cpu").asText()).isEqualTo("100m");
    assertThat(doc.path("big").path("cpu").asText()).isEqualTo("100m");
    assertThat(doc.path("big").path("memory").asText()).isEqualTo("1Gi");
    assertThat(doc.path("big").has("<<")).isFalse();
    assertThat(doc.path("list").get(0).path("memory").asText()).isEqualTo("64Mi");
  }

  @Test
  void refusesAliasBombsDeepNestingAndDuplicateKeys() {
    StringBuilder bomb = new StringBuilder("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
    for (int i = 0; i < 8; i++) {
      bomb.append("l").append(i).append(": &l").append(i).append(" [");
      String prev = i == 0 ? "a" : "l" + (i - 1);
      bomb.append(String.join(",", java.util.Collections.nCopies(10, "*" + prev))).append("]\n");
    }
    assertThatThrownBy(() -> ResourceCodec.readDocuments(bomb.toString()))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("alias");
    assertThatThrownBy(() -> ResourceCodec.readDocuments("[".repeat(300) + "]".repeat(300)))
        .isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> ResourceCodec.readDocuments("a: 1\na: 2\n"))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("Duplicate");
    assertThatThrownBy(() -> ResourceCodec.readDocuments("x: *missing\n"))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("unknown alias");
  }

  @Test
  void reportsWhereMalformedInputBreaks() {
    assertThatThrownBy(() -> ResourceCodec.readDocuments("a: [1, 2\nb: 3\n"))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("line");
    assertThatThrownBy(() -> ResourceCodec.readDocuments("- just\n- a list\n"))
        .hasMessageContaining("not an object");
  }

  @Test
  void keepsNumbersAndStringsAsWritten() {
    // When
    var doc =
        ResourceCodec.readDocuments(
                "{\"v\": 2.50, \"big\": 12345678901234567890, \"no\": \"NO\", \"yes\": NO}")
            .get(0);
    // Then
    assertThat(ResourceCodec.toJson(doc))
        .isEqualTo(
            "{\"v\":2.50,\"big\":12345678901234567890,\"no\":\"NO\",\"yes\":false}"); // unquoted NO
    // is a
    // boolean, as
    // in
    // Kubernetes
    // (YAML 1.1)
    assertThat(ResourceCodec.readDocuments(ResourceCodec.toYaml(doc)).get(0)).isEqualTo(doc);
  }

  @Test
  void readsSingleBodies() {
    assertThat(ResourceCodec.readObject("{\"a\":1}".getBytes(), false).path("a").asInt())
        .isEqualTo(1);
    assertThatThrownBy(() -> ResourceCodec.readObject("a: 1\n---\nb: 2\n".getBytes(), true))
        .hasMessageContaining("2 documents");
    assertThatThrownBy(() -> ResourceCodec.readObject("".getBytes(), false))
        .hasMessageContaining("empty");
    assertThat(List.of()).isEmpty();
  }

  @Test
  void readsOnlyTheFieldsAskedForOfAStoredObject() {
    // Given: a stored object with a large, nested spec
    byte[] stored =
        ("{\"apiVersion\":\"work.meridian.dev/v1alpha1\",\"kind\":\"Work\","
                + "\"metadata\":{\"name\":\"w\",\"labels\":{\"a\":\"b\"}},"
                + "\"spec\":{\"manifests\":[{\"kind\":\"Deployment\",\"spec\":{\"x\":[1,2,{\"y\":3}]}}]},"
                + "\"status\":{\"observedGeneration\":2}}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    // When
    var meta = ResourceCodec.parseStoredMetadata(stored);
    var status = ResourceCodec.parseStoredFields(stored, java.util.Set.of("metadata", "status"));
    // Then
    assertThat(meta.toString())
        .isEqualTo(
            "{\"apiVersion\":\"work.meridian.dev/v1alpha1\",\"kind\":\"Work\","
                + "\"metadata\":{\"name\":\"w\",\"labels\":{\"a\":\"b\"}}}");
    assertThat(status.has("spec")).isFalse();
    assertThat(status.at("/status/observedGeneration").asInt()).isEqualTo(2);
    assertThat(status.at("/metadata/name").asText()).isEqualTo("w");
  }

  @Test
  void sameTreeComparesNumbersByValueAndEverythingElseExactly() throws Exception {
    // what a controller builds (a long) against what the store gives back (parsed: an int)
    com.fasterxml.jackson.databind.node.ObjectNode built = ResourceCodec.newObject();
    built.put("observedGeneration", 3L).putArray("ready").add(2).add(1.5);
    built.putObject("nested").put("name", "a");
    JsonNode stored =
        ResourceCodec.JSON.readTree(
            "{\"nested\":{\"name\":\"a\"},\"ready\":[2,1.50],\"observedGeneration\":3}");
    assertThat(built.equals(stored)).isFalse(); // why the helper exists
    assertThat(ResourceCodec.sameTree(built, stored)).isTrue();
    // a different number, string, order in an array, or missing field is a difference
    for (String other :
        List.of(
            "{\"nested\":{\"name\":\"a\"},\"ready\":[2,1.5],\"observedGeneration\":4}",
            "{\"nested\":{\"name\":\"b\"},\"ready\":[2,1.5],\"observedGeneration\":3}",
            "{\"nested\":{\"name\":\"a\"},\"ready\":[1.5,2],\"observedGeneration\":3}",
            "{\"nested\":{\"name\":\"a\"},\"ready\":[2,1.5]}",
            "{\"nested\":{\"name\":\"a\"},\"ready\":[2,1.5],\"observedGeneration\":\"3\"}")) {
      assertThat(ResourceCodec.sameTree(built, ResourceCodec.JSON.readTree(other)))
          .as(other)
          .isFalse();
    }
    assertThat(ResourceCodec.sameTree(built, null)).isFalse();
  }
}
