package dev.meridian.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.ResourceType;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code meridian rebalance KIND NAME}: divides a template's replicas again from scratch, instead
 * of the minimal moves that scaling makes. It stamps a new token in the template's {@code
 * meridian.dev/rebalance} annotation; the propagation controller rebalances once per token.
 */
@Command(
    name = "rebalance",
    description = "Divide a template's replicas across clusters again, from scratch.")
public final class RebalanceCommand implements Callable<Integer> {
  private final CliContext ctx;

  @Mixin ConnectionOptions connection;

  @Parameters(index = "0", paramLabel = "KIND", completionCandidates = KindNames.class)
  String kind;

  @Parameters(index = "1", paramLabel = "NAME")
  String name;

  @Mixin NamespaceOption namespace;

  public RebalanceCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    HubClient hub = connection.client(ctx);
    ResourceType type = new KindResolver(new HubDiscovery(hub)).resolve(kind);
    ObjectNode patch = ResourceCodec.newObject();
    patch
        .putObject("metadata")
        .putObject("annotations")
        .put("meridian.dev/rebalance", ctx.clock().instant().toString());
    hub.mergePatch(type.objectPath(namespace.of(type), name), patch);
    ctx.out().println(ObjectNames.of(type, name) + " rebalance requested");
    return 0;
  }
}
