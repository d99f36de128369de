package dev.meridian.cli.internal;

import dev.meridian.api.ResourceType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code meridian delete KIND NAME...} or {@code meridian delete -f FILE}. */
@Command(
    name = "delete",
    description = "Delete objects by kind and name, or those described in files.")
public final class DeleteCommand implements Callable<Integer> {
  private final CliContext ctx;

  @Mixin ConnectionOptions connection;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "KIND",
      completionCandidates = KindNames.class,
      description = "Kind, as for get.")
  String kind;

  @Parameters(index = "1..*", paramLabel = "NAME", description = "Names.")
  List<String> names = new ArrayList<>();

  @Option(
      names = {"-f", "--filename"},
      paramLabel = "FILE|DIR|-",
      description = "Delete the objects these files describe, as apply reads them. Repeatable.")
  List<String> files = new ArrayList<>();

  @Mixin NamespaceOption namespace;

  @Option(names = "--ignore-not-found", description = "Succeed when an object does not exist.")
  boolean ignoreNotFound;

  /** The values of {@code --cascade}, as kubectl spells them. */
  static final class Cascades extends ArrayList<String> {
    Cascades() {
      super(List.of("background", "foreground", "orphan"));
    }
  }

  @Option(
      names = "--cascade",
      paramLabel = "MODE",
      completionCandidates = Cascades.class,
      description =
          "What happens to a template's copies in the member clusters: background (the default:"
              + " the template goes at once, its copies after it), foreground (the template"
              + " stays, marked, until its copies are deleted everywhere) or orphan (the copies"
              + " stay in the members, no longer managed).")
  String cascade = "background";

  public DeleteCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  /** What to delete: its kind, namespace and name. */
  private record Victim(ResourceType type, String namespace, String name) {}

  @Override
  public Integer call() {
    if (files.isEmpty() == (kind == null)) {
      throw CliException.usage("give either KIND NAME... or -f FILE, not both or neither");
    }
    if (kind != null && names.isEmpty()) {
      throw CliException.usage("give the name of each " + kind + " to delete");
    }
    if (!new Cascades().contains(cascade)) {
      throw CliException.usage(
          "--cascade must be background, foreground or orphan, not \"" + cascade + "\"");
    }
    String policy = Character.toUpperCase(cascade.charAt(0)) + cascade.substring(1);
    ObjectNames.checkArguments(names, namespace.given());
    List<Manifest> manifests =
        files.isEmpty() ? List.of() : ManifestReader.read(files, ctx.stdin());
    HubClient hub = connection.client(ctx);
    KindResolver kinds = new KindResolver(new HubDiscovery(hub));
    List<Victim> victims = new ArrayList<>();
    if (kind != null) {
      ResourceType type = kinds.resolve(kind);
      String ns = namespace.of(type);
      names.forEach(n -> victims.add(new Victim(type, ns, n)));
    } else {
      List<ManifestTarget> targets =
          ManifestTarget.creationOrder(ManifestTarget.resolve(manifests, kinds, namespace.given()));
      Collections.reverse(targets); // what lives in a namespace goes before the namespace
      targets.forEach(t -> victims.add(new Victim(t.type(), t.namespace(), t.name())));
    }
    int exit = 0;
    for (Victim v : victims) {
      try {
        hub.delete(v.type().objectPath(v.namespace(), v.name()) + "?propagationPolicy=" + policy);
        ctx.out().println(ObjectNames.of(v.type(), v.name()) + " deleted");
      } catch (HubException e) {
        if (!(e.isNotFound() && ignoreNotFound)) {
          ctx.err().println("error: " + e.getMessage());
          exit = CliException.FAILURE;
        }
      }
      ctx.out().flush();
    }
    return exit;
  }
}
