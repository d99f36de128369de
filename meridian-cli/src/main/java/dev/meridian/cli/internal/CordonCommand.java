package dev.meridian.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.ResourceCodec;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code meridian cordon NAME} and {@code meridian uncordon NAME}: {@code spec.unschedulable} of a
 * Cluster, as {@code kubectl cordon} sets a node's. A cordoned cluster takes no new placements;
 * what it runs stays.
 */
public abstract class CordonCommand implements Callable<Integer> {
  private final CliContext ctx;
  private final boolean cordon;

  @Mixin ConnectionOptions connection;

  @Parameters(index = "0", paramLabel = "NAME", description = "The cluster's name in the fleet.")
  String name;

  CordonCommand(CliContext ctx, boolean cordon) {
    this.ctx = ctx;
    this.cordon = cordon;
  }

  @Override
  public Integer call() {
    HubClient hub = connection.client(ctx);
    String path = FleetKinds.CLUSTER.objectPath("", name);
    boolean was =
        hub.find(path)
            .orElseThrow(() -> new CliException("cluster \"" + name + "\" is not in the fleet"))
            .path("spec")
            .path("unschedulable")
            .asBoolean(false);
    String shown = ObjectNames.of(FleetKinds.CLUSTER, name);
    if (was == cordon) {
      ctx.out().println(shown + " already " + (cordon ? "cordoned" : "uncordoned"));
      return 0;
    }
    ObjectNode patch = ResourceCodec.newObject();
    ObjectNode spec = patch.putObject("spec");
    if (cordon) {
      spec.put("unschedulable", true);
    } else {
      spec.putNull("unschedulable");
    }
    hub.mergePatch(path, patch);
    ctx.out().println(shown + (cordon ? " cordoned" : " uncordoned"));
    return 0;
  }

  /** {@code meridian cordon NAME}. */
  @picocli.CommandLine.Command(
      name = "cordon",
      description = "Mark a cluster unschedulable: no new placements go there; what it runs stays.")
  public static final class Cordon extends CordonCommand {
    public Cordon(CliContext ctx) {
      super(ctx, true);
    }
  }

  /** {@code meridian uncordon NAME}. */
  @picocli.CommandLine.Command(name = "uncordon", description = "Mark a cluster schedulable again.")
  public static final class Uncordon extends CordonCommand {
    public Uncordon(CliContext ctx) {
      super(ctx, false);
    }
  }
}
