package dev.meridian.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.DecodeException;
import dev.meridian.api.LabelSelector;
import dev.meridian.api.Names;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.fleet.Cluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code meridian join NAME --kubeconfig FILE}: registers a cluster. The kubeconfig is checked here
 * first (readable, a Config, the context exists), then sent to the hub, which probes the cluster
 * with it before registering anything and keeps it encrypted.
 */
@Command(
    name = "join",
    description = "Register a Kubernetes cluster with the fleet (the hub probes it first).")
public final class JoinCommand implements Callable<Integer> {
  private final CliContext ctx;

  @Mixin ConnectionOptions connection;

  @Parameters(index = "0", paramLabel = "NAME", description = "The cluster's name in the fleet.")
  String name;

  @Option(
      names = "--kubeconfig",
      required = true,
      paramLabel = "FILE",
      description = "Kubeconfig of the cluster.")
  Path kubeconfig;

  @Option(
      names = "--context",
      description = "Context in the kubeconfig (default: its current-context).")
  String context;

  @Option(
      names = "--region",
      description = "Region (default: the nodes' topology.kubernetes.io/region).")
  String region;

  @Option(names = "--zone", description = "Zone (default: the nodes' topology.kubernetes.io/zone).")
  String zone;

  @Option(
      names = "--country",
      paramLabel = "CC",
      description = "ISO 3166-1 alpha-2 country code, e.g. DE.")
  String country;

  @Option(names = "--provider", description = "Cloud or data-center provider, e.g. aws.")
  String provider;

  @Option(
      names = {"-l", "--label"},
      paramLabel = "KEY=VALUE",
      description = "Labels of the Cluster. Repeatable.")
  List<String> labels = List.of();

  public JoinCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    if (!Names.isDnsLabel(name)) {
      throw CliException.usage(
          "\""
              + name
              + "\" is not a valid cluster name (lowercase letters, digits and '-', at most 63)");
    }
    byte[] raw;
    try {
      raw = Files.readAllBytes(kubeconfig);
    } catch (IOException e) {
      throw new CliException("cannot read kubeconfig " + kubeconfig + ": " + e.getMessage());
    }
    String usedContext = checkKubeconfig(new String(raw, StandardCharsets.UTF_8));
    ObjectNode cluster = ResourceCodec.newObject();
    cluster.put("apiVersion", Cluster.API_VERSION).put("kind", Cluster.KIND);
    ObjectNode meta = cluster.putObject("metadata").put("name", name);
    Map<String, String> parsedLabels = parseLabels();
    if (!parsedLabels.isEmpty()) {
      ObjectNode l = meta.putObject("labels");
      parsedLabels.forEach(l::put);
    }
    ObjectNode spec = cluster.putObject("spec");
    ObjectNode kc = spec.putObject("connection").putObject("kubeconfig");
    kc.put("data", Base64.getEncoder().encodeToString(raw));
    kc.put("context", usedContext);
    spec.put("syncMode", "Push");
    ObjectNode location = spec.putObject("location");
    putIf(location, "region", region);
    putIf(location, "zone", zone);
    putIf(location, "country", country);
    putIf(location, "provider", provider);
    if (location.isEmpty()) {
      spec.remove("location");
    }
    HubClient hub = connection.client(ctx);
    ObjectNode joined = hub.create(FleetKinds.CLUSTER.collectionPath(""), cluster);
    JsonNode loc = joined.path("spec").path("location");
    ctx.out()
        .println(
            ObjectNames.of(FleetKinds.CLUSTER, name)
                + " joined"
                + (loc.isObject() && !loc.isEmpty()
                    ? " (" + String.join(", ", text(loc)) + ")"
                    : ""));
    return 0;
  }

  /** Checks the kubeconfig locally; returns the context that will be used. */
  private String checkKubeconfig(String text) {
    List<ObjectNode> docs;
    try {
      docs = ResourceCodec.readDocuments(text);
    } catch (DecodeException e) {
      throw new CliException("kubeconfig " + kubeconfig + " is not valid YAML: " + e.getMessage());
    }
    if (docs.size() != 1
        || !"Config".equals(docs.get(0).path("kind").asText("Config"))
        || !docs.get(0).has("clusters")) {
      throw new CliException("kubeconfig " + kubeconfig + " is not a kubeconfig (no clusters)");
    }
    ObjectNode cfg = docs.get(0);
    String ctxName = context != null ? context : cfg.path("current-context").asText("");
    if (ctxName.isEmpty()) {
      throw new CliException(
          "kubeconfig " + kubeconfig + " has no current-context; pass --context");
    }
    JsonNode found = null;
    for (JsonNode c : cfg.path("contexts")) {
      if (c.path("name").asText().equals(ctxName)) {
        found = c;
      }
    }
    if (found == null) {
      throw new CliException("kubeconfig " + kubeconfig + " has no context \"" + ctxName + "\"");
    }
    String clusterName = found.path("context").path("cluster").asText("");
    boolean hasServer = false;
    for (JsonNode c : cfg.path("clusters")) {
      if (c.path("name").asText().equals(clusterName)
          && !c.path("cluster").path("server").asText("").isEmpty()) {
        hasServer = true;
      }
    }
    if (!hasServer) {
      throw new CliException(
          "kubeconfig "
              + kubeconfig
              + ": context \""
              + ctxName
              + "\" names no cluster with a server URL");
    }
    return ctxName;
  }

  private Map<String, String> parseLabels() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String l : labels) {
      int eq = l.indexOf('=');
      if (eq <= 0
          || !LabelSelector.validKey(l.substring(0, eq))
          || !LabelSelector.validValue(l.substring(eq + 1))) {
        throw CliException.usage(
            "--label must be KEY=VALUE with a valid label key and value, got \"" + l + "\"");
      }
      out.put(l.substring(0, eq), l.substring(eq + 1));
    }
    return out;
  }

  private static void putIf(ObjectNode o, String field, String value) {
    if (value != null && !value.isBlank()) {
      o.put(field, value);
    }
  }

  private static List<String> text(JsonNode loc) {
    List<String> parts = new java.util.ArrayList<>();
    loc.fields().forEachRemaining(e -> parts.add(e.getKey() + " " + e.getValue().asText()));
    return parts;
  }
}
