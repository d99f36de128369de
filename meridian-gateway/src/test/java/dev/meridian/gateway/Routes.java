package dev.meridian.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.ResourceCodec;
import dev.meridian.gateway.RouteDecision.Forward;
import dev.meridian.gateway.config.CompileContext;
import dev.meridian.gateway.config.CompiledTable;
import dev.meridian.gateway.config.RouteCompiler;
import dev.meridian.gateway.health.EndpointStates;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;

/** GlobalRoutes from YAML and tables compiled from them, for tests. */
public final class Routes {

  private Routes() {}

  public static List<ObjectNode> yaml(String text) {
    return ResourceCodec.readDocuments(text);
  }

  public static EndpointStates states() {
    return new EndpointStates(new SimpleMeterRegistry());
  }

  public static CompiledTable compile(String yaml) {
    return compile(yaml, CompileContext.of("edge", "eu-west", states()));
  }

  public static CompiledTable compile(String yaml, CompileContext ctx) {
    return new RouteCompiler().compile(yaml(yaml), ctx);
  }

  public static Forward forward(RoutingTable table, RequestHead head) {
    RouteDecision d = table.decide(head);
    if (!(d instanceof Forward f)) {
      throw new AssertionError("expected a Forward, got " + d);
    }
    return f;
  }

  /** The rule that took the request, {@code ns/name#rule}, or the status of a direct answer. */
  public static String ruleOf(RoutingTable table, RequestHead head) {
    RouteDecision d = table.decide(head);
    if (d instanceof Forward f) {
      return f.route().id() + "#" + f.route().rule();
    }
    return "status " + ((RouteDecision.Respond) d).status();
  }

  /** A route with one rule per {@code (name, matchYaml)} pair, each to a static endpoint. */
  public static String route(
      String ns, String name, String created, String hostnames, String... rules) {
    StringBuilder b = new StringBuilder();
    b.append("apiVersion: network.meridian.dev/v1alpha1\nkind: GlobalRoute\n")
        .append("metadata: {name: ")
        .append(name)
        .append(", namespace: ")
        .append(ns);
    if (created != null) {
      b.append(", creationTimestamp: \"").append(created).append('"');
    }
    b.append("}\nspec:\n");
    if (hostnames != null) {
      b.append("  hostnames: ").append(hostnames).append('\n');
    }
    b.append("  rules:\n");
    for (int i = 0; i < rules.length; i += 2) {
      b.append("  - name: ").append(rules[i]).append('\n');
      if (!rules[i + 1].isEmpty()) {
        b.append("    matches: ").append(rules[i + 1]).append('\n');
      }
      b.append(
          "    backendRefs: [{kind: Static, name: s, endpoints: [{address: 10.0.0.1, port: 80}]}]\n");
    }
    return b.toString();
  }
}
