package dev.meridian.controllers.network;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.FieldError;
import dev.meridian.api.ResourceCodec;
import org.junit.jupiter.api.Test;

class HttpRouteConversionTest {

  static ObjectNode route(String spec) {
    return ResourceCodec.readDocuments(
            """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: web, namespace: shop, uid: u-1}
            spec:
            """
                + spec.indent(2))
        .get(0);
  }

  @Test
  void rulesCarryOverAndOnlyMeridianParentsBecomeGateways() {
    // Given
    ObjectNode r =
        route(
            """
            parentRefs:
            - {group: network.meridian.dev, kind: Gateway, name: edge}
            - {group: gateway.networking.k8s.io, kind: Gateway, name: other}
            rules:
            - matches: [{path: {type: Exact, value: /a}, method: GET}]
              filters:
              - type: RequestMirror
                requestMirror: {backendRef: {name: shadow, port: 8080}, percent: 5}
              backendRefs: [{name: web, port: 80}]
              timeouts: {request: 5s}
              retry: {attempts: 3, codes: [503]}
            """);
    // When
    HttpRouteConversion.Result result = HttpRouteConversion.convert(r);
    // Then
    assertThat(result.problems()).isEmpty();
    ObjectNode gr = result.globalRoute();
    assertThat(gr.path("metadata").path("name").asText()).isEqualTo("httproute-web");
    assertThat(gr.path("metadata").path("annotations").path(HttpRouteConversion.ORIGIN).asText())
        .isEqualTo("HTTPRoute/shop/web");
    assertThat(gr.path("spec").path("gateways").toString()).isEqualTo("[\"edge\"]");
    var rule = gr.path("spec").path("rules").path(0);
    assertThat(rule.path("matches").toString())
        .isEqualTo("[{\"path\":{\"type\":\"Exact\",\"value\":\"/a\"},\"method\":\"GET\"}]");
    assertThat(rule.path("filters").path(0).path("requestMirror").toString())
        .isEqualTo(
            "{\"percent\":5,\"backendRef\":{\"kind\":\"Service\",\"name\":\"shadow\",\"port\":8080}}");
    assertThat(rule.path("timeouts").toString()).isEqualTo("{\"request\":\"5s\"}");
    assertThat(rule.path("retry").toString()).isEqualTo("{\"attempts\":3,\"codes\":[503]}");
  }

  @Test
  void everyFieldMeridianCannotHonourIsNamed() {
    // Given
    ObjectNode r =
        route(
            """
            parentRefs: [{group: network.meridian.dev, kind: Gateway, name: edge, sectionName: http}]
            rules:
            - filters: [{type: ExtensionRef, extensionRef: {group: x, kind: y, name: z}}]
              backendRefs:
              - {name: web, namespace: other, port: 80}
              - {name: web, port: 80, filters: [{type: RequestHeaderModifier}]}
              - {name: web}
              retry: {attempts: 2, backoff: 1s}
            """);
    // When
    HttpRouteConversion.Result result = HttpRouteConversion.convert(r);
    // Then
    assertThat(result.globalRoute()).isNull();
    assertThat(result.problems())
        .extracting(FieldError::field)
        .containsExactlyInAnyOrder(
            "spec.parentRefs[0].sectionName",
            "spec.rules[0].filters[0].type",
            "spec.rules[0].backendRefs[0].namespace",
            "spec.rules[0].backendRefs[1].filters",
            "spec.rules[0].backendRefs[2].port",
            "spec.rules[0].retry.backoff");
  }

  @Test
  void onlyRoutesNamingAMeridianGatewayAreMeridians() {
    assertThat(
            HttpRouteConversion.targetsMeridian(
                route("parentRefs: [{group: network.meridian.dev, name: edge}]")))
        .isTrue();
    assertThat(HttpRouteConversion.targetsMeridian(route("parentRefs: [{name: edge}]"))).isFalse();
  }
}
