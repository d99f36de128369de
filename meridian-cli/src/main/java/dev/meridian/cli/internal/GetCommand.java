package dev.meridian.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.LabelSelector;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code meridian get KIND [NAME...]}: list or show objects, and optionally watch them. */
@Command(name = "get", description = "Show objects of one kind, as a table or as YAML/JSON.")
public final class GetCommand implements Callable<Integer> {
  /**
   * Pause before re-opening a watch the hub ended, so that a hub closing it at once is not
   * hammered.
   */
  static final Duration REWATCH_DELAY = Duration.ofSeconds(1);

  private final CliContext ctx;

  @Mixin ConnectionOptions connection;

  @Parameters(
      index = "0",
      paramLabel = "KIND",
      completionCandidates = KindNames.class,
      description =
          "Kind: plural, singular, short name or Kind, optionally .group (deploy, mc); several"
              + " separated by commas (deploy,pp).")
  String kind;

  @Parameters(index = "1..*", paramLabel = "NAME", description = "Names; all objects when none.")
  List<String> names = new ArrayList<>();

  @Mixin NamespaceOption namespace;

  @Option(
      names = {"-A", "--all-namespaces"},
      description = "Objects of every namespace.")
  boolean allNamespaces;

  @Option(
      names = {"-l", "--selector"},
      paramLabel = "SELECTOR",
      description = "Label selector: k=v, k!=v, k in (a,b), k notin (a,b), k, !k; comma-separated.")
  String selector;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      converter = OutputFormat.Converter.class,
      description = "table (default), wide, yaml, json or name.")
  OutputFormat output = OutputFormat.TABLE;

  @Option(
      names = {"-w", "--watch"},
      description = "After printing, print each change until interrupted.")
  boolean watch;

  @Option(
      names = "--show-managed-fields",
      description = "With -o yaml or json, keep metadata.managedFields (left out by default).")
  boolean showManagedFields;

  public GetCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    LabelSelector labels = parseSelector(selector);
    if (allNamespaces && !names.isEmpty()) {
      throw CliException.usage("a resource cannot be retrieved by name across all namespaces");
    }
    if (!names.isEmpty() && !labels.isEmpty()) {
      throw CliException.usage("names cannot be given together with a label selector");
    }
    ObjectNames.checkArguments(names, namespace.given());
    HubClient hub = connection.client(ctx);
    List<String> kinds = List.of(kind.split(",", -1));
    if (kinds.size() > 1) {
      return several(hub, kinds, labels);
    }
    ResourceType type = new KindResolver(new HubDiscovery(hub)).resolve(kind);
    String ns = allNamespaces ? "" : namespace.of(type);
    ObjectPrinter printer =
        new ObjectPrinter(output, type, allNamespaces, ctx.clock().instant(), showManagedFields);

    List<String> errors = new ArrayList<>();
    Fetched fetched = fetch(hub, type, ns, labels, errors);
    List<ObjectNode> objects = fetched.objects();
    String resourceVersion = fetched.resourceVersion();
    // asked by name and found nothing: only the errors, as kubectl (no empty List on stdout)
    if (names.isEmpty() || !objects.isEmpty()) {
      ctx.out().print(printer.print(objects, names.size() == 1));
      ctx.out().flush();
    }
    boolean tableLike = output != OutputFormat.YAML && output != OutputFormat.JSON;
    if (objects.isEmpty() && names.isEmpty() && tableLike) {
      ctx.err().println(noResources(type, ns));
    }
    errors.forEach(e -> ctx.err().println("error: " + e));
    if (!errors.isEmpty()) {
      return CliException.FAILURE;
    }
    if (watch) {
      watch(hub, type, ns, labels, resourceVersion, printer);
    }
    return 0;
  }

  /** What one kind's list or named gets returned. */
  private record Fetched(List<ObjectNode> objects, String resourceVersion) {}

  private Fetched fetch(
      HubClient hub, ResourceType type, String ns, LabelSelector labels, List<String> errors) {
    List<ObjectNode> objects = new ArrayList<>();
    if (names.isEmpty()) {
      JsonNode list = hub.get(type.collectionPath(ns) + query(labels, false, ""));
      for (JsonNode item : list.path("items")) {
        if (item instanceof ObjectNode o) {
          objects.add(ObjectPrinter.typed(o, type));
        }
      }
      return new Fetched(objects, Meta.resourceVersion(list));
    }
    for (String name : names) {
      try {
        objects.add(ObjectPrinter.typed(hub.getObject(type.objectPath(ns, name)), type));
      } catch (HubException e) {
        errors.add(e.getMessage());
      }
    }
    return new Fetched(objects, newest(objects));
  }

  /**
   * {@code get deploy,pp}: each kind in turn, as kubectl does. Tables are printed one after the
   * other with names as {@code kind.group/name}; YAML and JSON make one List of everything.
   */
  private int several(HubClient hub, List<String> kinds, LabelSelector labels) {
    if (watch) {
      throw CliException.usage("--watch takes a single kind");
    }
    KindResolver resolver = new KindResolver(new HubDiscovery(hub));
    List<ResourceType> types = new ArrayList<>();
    for (String k : kinds) {
      if (k.isBlank()) {
        throw CliException.usage("empty kind in \"" + OneLine.safe(kind) + "\"");
      }
      types.add(resolver.resolve(k.strip()));
    }
    boolean oneList = output == OutputFormat.YAML || output == OutputFormat.JSON;
    boolean tables = output == OutputFormat.TABLE || output == OutputFormat.WIDE;
    List<String> errors = new ArrayList<>();
    List<ObjectNode> everything = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (ResourceType type : types) {
      String ns = allNamespaces ? "" : namespace.of(type);
      List<ObjectNode> objects = fetch(hub, type, ns, labels, errors).objects();
      everything.addAll(objects);
      if (objects.isEmpty() || oneList) {
        continue;
      }
      List<ObjectNode> shown = objects;
      if (tables) {
        // NAME reads kind.group/name, as kubectl's tables of several kinds do
        shown = new ArrayList<>();
        for (ObjectNode o : objects) {
          ObjectNode copy = o.deepCopy();
          Meta.metadata(copy).put("name", ObjectNames.of(type, Meta.name(o)));
          shown.add(copy);
        }
        text.append(text.length() == 0 ? "" : "\n");
      }
      text.append(
          new ObjectPrinter(output, type, allNamespaces, ctx.clock().instant(), showManagedFields)
              .print(shown, false));
    }
    if (oneList) {
      // one List of every kind's objects, as kubectl prints
      ctx.out()
          .print(
              new ObjectPrinter(
                      output, types.get(0), allNamespaces, ctx.clock().instant(), showManagedFields)
                  .print(everything, false));
    } else {
      ctx.out().print(text);
      if (everything.isEmpty() && names.isEmpty()) {
        ctx.err()
            .println(noResources(types.get(0), allNamespaces ? "" : namespace.of(types.get(0))));
      }
    }
    ctx.out().flush();
    errors.forEach(e -> ctx.err().println("error: " + e));
    return errors.isEmpty() ? 0 : CliException.FAILURE;
  }

  private void watch(
      HubClient hub,
      ResourceType type,
      String ns,
      LabelSelector labels,
      String fromVersion,
      ObjectPrinter printer) {
    String[] resourceVersion = {fromVersion};
    while (!Thread.currentThread().isInterrupted()) {
      try {
        hub.watch(
            type.collectionPath(ns) + query(labels, true, resourceVersion[0]),
            event -> {
              if (event.isError()) {
                int code = event.object().path("code").asInt(500);
                if (code == 410) {
                  // our resourceVersion is too old: restart from the current state
                  resourceVersion[0] = "";
                  return;
                }
                throw new HubException(
                    code,
                    event.object().path("reason").asText(""),
                    StatusMessages.message(event.object(), code));
              }
              String rv = Meta.resourceVersion(event.object());
              if (!rv.isEmpty()) {
                resourceVersion[0] = rv;
              }
              if (names.isEmpty() || names.contains(Meta.name(event.object()))) {
                ctx.out().print(printer.event(ObjectPrinter.typed(event.object(), type)));
                ctx.out().flush();
              }
            });
        Thread.sleep(REWATCH_DELAY.toMillis());
      } catch (HubClient.Interrupted e) {
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * The newest resourceVersion among objects fetched one by one, to watch from: watching from none
   * would replay every existing object as ADDED.
   */
  static String newest(List<ObjectNode> objects) {
    String newest = "";
    for (ObjectNode o : objects) {
      String rv = Meta.resourceVersion(o);
      if (newest.isEmpty() || compareVersions(rv, newest) > 0) {
        newest = rv;
      }
    }
    return newest;
  }

  private static int compareVersions(String a, String b) {
    try {
      return Long.compare(Long.parseLong(a), Long.parseLong(b));
    } catch (NumberFormatException opaque) {
      // Kubernetes calls resourceVersions opaque; ours are numbers, but do not rely on it
      return 0;
    }
  }

  static LabelSelector parseSelector(String text) {
    try {
      return LabelSelector.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CliException(OneLine.safe(e.getMessage()));
    }
  }

  /** The query string of a list or watch request. */
  static String query(LabelSelector labels, boolean watch, String resourceVersion) {
    List<String> params = new ArrayList<>();
    if (!labels.isEmpty()) {
      params.add("labelSelector=" + encode(labels.toString()));
    }
    if (watch) {
      params.add("watch=true");
      if (!resourceVersion.isEmpty()) {
        params.add("resourceVersion=" + encode(resourceVersion));
      }
    }
    return params.isEmpty() ? "" : "?" + String.join("&", params);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static String noResources(ResourceType type, String ns) {
    return ns.isEmpty() ? "No resources found" : "No resources found in " + ns + " namespace.";
  }
}
