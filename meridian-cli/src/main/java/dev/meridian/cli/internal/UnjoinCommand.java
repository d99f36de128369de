package dev.meridian.cli.internal;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code meridian unjoin NAME}: removes a cluster from the fleet, and its stored credentials. */
@Command(
    name = "unjoin",
    description = "Remove a cluster from the fleet and delete its stored credentials.")
public final class UnjoinCommand implements Callable<Integer> {
  private final CliContext ctx;

  @Mixin ConnectionOptions connection;

  @Parameters(index = "0", paramLabel = "NAME", description = "The cluster's name in the fleet.")
  String name;

  public UnjoinCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    HubClient hub = connection.client(ctx);
    hub.delete(FleetKinds.CLUSTER.objectPath("", name));
    try {
      hub.delete(
          FleetKinds.SECRET.objectPath(
              FleetKinds.CREDENTIALS_NAMESPACE, FleetKinds.credentialsSecret(name)));
    } catch (HubException e) {
      if (!e.isNotFound()) {
        throw e;
      }
    }
    ctx.out().println(ObjectNames.of(FleetKinds.CLUSTER, name) + " unjoined");
    return 0;
  }
}
