package dev.meridian.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code meridian diff -f FILE|DIR|-}: what {@code meridian apply} would change, as the hub would
 * store it (each object is sent as a dry run, so validation, admission and defaults are the hub's
 * own), printed as a unified diff of YAML per object.
 */
@Command(
    name = "diff",
    description = "Show what apply would change: a unified diff per object, live against result.",
    footer = {
      "",
      "Exit code: 0 when nothing would change, 1 when something would, 2 or more on an error"
          + " (as kubectl diff). Nothing is stored."
    })
public final class DiffCommand implements Callable<Integer> {
  /** kubectl diff's exit code for "there are differences". */
  static final int DIFFERENT = 1;

  static final int ERROR = 2;

  private final CliContext ctx;

  @Mixin ConnectionOptions connection;

  @Option(
      names = {"-f", "--filename"},
      required = true,
      paramLabel = "FILE|DIR|-",
      description =
          "A file, a directory (its *.yaml, *.yml and *.json files, in name order), or - for"
              + " standard input. Repeatable.")
  List<String> files;

  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NS",
      description = "Namespace for namespaced objects that name none. Default: default.")
  String namespace;

  public DiffCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    List<Manifest> manifests = ManifestReader.read(files, ctx.stdin());
    HubClient hub = connection.client(ctx);
    List<ManifestTarget> targets =
        ManifestTarget.creationOrder(
            ManifestTarget.resolve(manifests, new KindResolver(new HubDiscovery(hub)), namespace));
    int exit = 0;
    java.util.Set<String> newNamespaces = new java.util.HashSet<>();
    for (ManifestTarget target : targets) {
      try {
        Optional<ObjectNode> live = hub.find(target.objectPath());
        boolean inNewNamespace =
            target.namespace() != null && newNamespaces.contains(target.namespace());
        if (live.isEmpty() && ApplyCommand.isNamespace(target)) {
          newNamespaces.add(target.name());
        }
        ObjectNode result =
            live.isEmpty()
                ? inNewNamespace
                    // the hub cannot dry-run an object into a namespace that does not exist yet
                    ? target.object()
                    : hub.apply(
                        target.objectPath(),
                        target.object(),
                        ApplyCommand.FIELD_MANAGER,
                        false,
                        true)
                // what meridian apply would make of it: a server-side apply, dry run
                : hub.apply(
                    target.objectPath(), target.object(), ApplyCommand.FIELD_MANAGER, false, true);
        String before = live.map(DiffCommand::comparable).orElse("");
        String after = comparable(result);
        if (!before.equals(after)) {
          print(target.displayName(), before, after, live.isEmpty());
          exit = Math.max(exit, DIFFERENT);
        }
      } catch (HubException e) {
        ctx.err().println("error: " + e.getMessage());
        exit = ERROR;
      }
      ctx.out().flush();
    }
    return exit;
  }

  /** The object as YAML without what changes on every write (resourceVersion, generation...). */
  static String comparable(JsonNode obj) {
    ObjectNode o = obj.deepCopy();
    ObjectNode meta = Meta.metadata(o);
    for (String f : List.of("resourceVersion", "generation", "managedFields")) {
      meta.remove(f);
    }
    return ResourceCodec.toYaml(o);
  }

  private void print(String name, String before, String after, boolean created) {
    List<String> a = before.isEmpty() ? List.of() : before.lines().toList();
    List<String> b = after.lines().toList();
    Patch<String> patch = DiffUtils.diff(a, b);
    String from = created ? "/dev/null" : "live/" + name;
    List<String> unified =
        UnifiedDiffUtils.generateUnifiedDiff(from, "merged/" + name, a, patch, 3);
    unified.forEach(ctx.out()::println);
  }
}
