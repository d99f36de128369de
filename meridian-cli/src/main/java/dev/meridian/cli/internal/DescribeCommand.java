package dev.meridian.cli.internal;

import dev.meridian.api.ResourceType;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code meridian describe KIND NAME...}: one object in detail, for people. */
@Command(name = "describe", description = "Show objects in detail: metadata, spec and status.")
public final class DescribeCommand implements Callable<Integer> {
  private final CliContext ctx;

  @Mixin ConnectionOptions connection;

  @Parameters(
      index = "0",
      paramLabel = "KIND",
      completionCandidates = KindNames.class,
      description = "Kind, as for get.")
  String kind;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "NAME", description = "Names.")
  List<String> names;

  @Mixin NamespaceOption namespace;

  public DescribeCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    ObjectNames.checkArguments(names, namespace.given());
    HubClient hub = connection.client(ctx);
    ResourceType type = new KindResolver(new HubDiscovery(hub)).resolve(kind);
    String ns = namespace.of(type);
    int exit = 0;
    boolean first = true;
    for (String name : names) {
      try {
        String text = Describer.describe(hub.getObject(type.objectPath(ns, name)), type);
        ctx.out().print((first ? "" : "\n") + text);
        ctx.out().flush();
        first = false;
      } catch (HubException e) {
        ctx.err().println("error: " + e.getMessage());
        exit = CliException.FAILURE;
      }
    }
    return exit;
  }
}
