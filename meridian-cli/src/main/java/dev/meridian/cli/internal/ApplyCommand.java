package dev.meridian.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code meridian apply -f FILE|DIR|-}: create what is missing, update what differs. */
@Command(
    name = "apply",
    description = "Create objects from files, or update them where they differ from the files.",
    footer = {
      "",
      "Prints one line per object: created, configured (updated) or unchanged. An object the"
          + " hub rejects is reported and the rest are still applied; the exit code is then 1."
    })
public final class ApplyCommand implements Callable<Integer> {
  /** Attempts of an update that lost a race with another writer (409 Conflict). */
  static final int MAX_ATTEMPTS = 3;

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

  private String apply(HubClient hub, ManifestTarget target) {
    ObjectNode desired = target.object();
    for (int attempt = 1; ; attempt++) {
      Optional<ObjectNode> live = hub.find(target.objectPath());
      if (live.isEmpty()) {
        hub.create(target.collectionPath(), desired, dryRun);
        return "created";
      }
      if (ManifestDiff.firstDifference(desired, live.get()).isEmpty()) {
        return "unchanged";
      }
      try {
        hub.replace(target.objectPath(), forUpdate(desired, live.get()), dryRun);
        return "configured";
      } catch (HubException e) {
        if (!e.isConflict() || attempt == MAX_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /**
   * The body of the PUT that makes the live object match the manifest: the manifest, at the live
   * resourceVersion (so a concurrent change is detected, not overwritten), with the live status and
   * with the finalizers and owner references others set where the manifest names none.
   */
  static ObjectNode forUpdate(ObjectNode desired, ObjectNode live) {
    ObjectNode update = desired.deepCopy();
    ObjectNode meta = Meta.metadata(update);
    JsonNode liveMeta = live.path("metadata");
    meta.put("resourceVersion", Meta.resourceVersion(live));
    for (String kept : List.of("finalizers", "ownerReferences")) {
      if (!meta.has(kept) && liveMeta.has(kept)) {
        meta.set(kept, liveMeta.get(kept).deepCopy());
      }
    }
    update.remove("status");
    if (live.has("status")) {
      update.set("status", live.get("status").deepCopy());
    }
    return update;
  }
}
