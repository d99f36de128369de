package dev.meridian.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code meridian apply -f FILE|DIR|-}: server-side apply of each object, with field manager {@code
 * meridian}: created when missing; the fields the files set are Meridian's; fields it set before
 * and the files no longer hold are removed, unless another field manager owns them.
 */
@Command(
    name = "apply",
    description = "Create objects from files, or update them where they differ from the files.",
    footer = {
      "",
      "Prints one line per object: created, configured (updated) or unchanged. An object the"
          + " hub rejects is reported and the rest are still applied; the exit code is then 1.",
      "",
      "Server-side apply with field manager \"meridian\": a field another manager (kubectl, a"
          + " controller) owns and the files set differently is a conflict naming the field and"
          + " the manager; --force-conflicts takes it over."
    })
public final class ApplyCommand implements Callable<Integer> {
  /** Attempts of an update that lost a race with another writer (409 Conflict). */
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

  @Option(
      names = "--dry-run",
      description =
          "Say what would be done and change nothing: the hub validates and admits each object"
              + " as for real (?dryRun=All), so what it would refuse is reported.")
  boolean dryRun;

  @Option(
      names = "--force-conflicts",
      description =
          "Take over the fields other field managers own where the files set them differently"
              + " (without it, such a conflict is an error naming the fields and their managers).")
  boolean forceConflicts;

  /** The field manager of {@code meridian apply}'s server-side applies. */
  static final String FIELD_MANAGER = "meridian";

  public ApplyCommand(CliContext ctx) {
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
        String outcome =
            dryRun && target.namespace() != null && newNamespaces.contains(target.namespace())
                // the hub cannot dry-run an object into a namespace that a dry run created
                ? (hub.find(target.objectPath()).isPresent() ? "configured" : "created")
                : apply(hub, target);
        if (isNamespace(target) && outcome.equals("created")) {
          newNamespaces.add(target.name());
        }
        ctx.out().println(target.displayName() + " " + outcome + (dryRun ? " (dry run)" : ""));
      } catch (HubException e) {
        ctx.err().println("error: " + e.getMessage());
        exit = CliException.FAILURE;
      }
      ctx.out().flush();
    }
    return exit;
  }

  static boolean isNamespace(ManifestTarget target) {
    return target.type().group().isEmpty() && target.type().kind().equals("Namespace");
  }

  /** Server-side apply of one object; what it did, as kubectl says it. */
  private String apply(HubClient hub, ManifestTarget target) {
    Optional<ObjectNode> live = hub.find(target.objectPath());
    ObjectNode result =
        hub.apply(target.objectPath(), target.object(), FIELD_MANAGER, forceConflicts, dryRun);
    if (live.isEmpty()) {
      return "created";
    }
    return Meta.resourceVersion(result).equals(Meta.resourceVersion(live.get())) && !dryRun
        ? "unchanged"
        : dryRun && ManifestDiff.firstDifference(target.object(), live.get()).isEmpty()
            ? "unchanged"
            : "configured";
  }
}
