package dev.meridian.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.ResourceCodec;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code meridian sim fail|recover|slow CLUSTER}: failure injection for SIMULATED clusters (demos,
 * what-if drills). It sets {@code spec.connection.simulated.failure}; the hub's simulation reacts.
 */
@Command(
    name = "sim",
    description = "Inject failures into a SIMULATED cluster: fail, recover, slow.")
public final class SimCommand implements Callable<Integer> {
  private final CliContext ctx;

  public SimCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    throw CliException.usage("say what to do: meridian sim fail|recover|slow CLUSTER");
  }

  @Command(name = "fail", description = "Make a simulated cluster unreachable.")
  int fail(
      @Mixin ConnectionOptions connection, @Parameters(paramLabel = "CLUSTER") String cluster) {
    return set(connection, cluster, "Down", null);
  }

  @Command(name = "recover", description = "End an injected failure.")
  int recover(
      @Mixin ConnectionOptions connection, @Parameters(paramLabel = "CLUSTER") String cluster) {
    return set(connection, cluster, "None", null);
  }

  @Command(name = "slow", description = "Multiply a simulated cluster's API latency.")
  int slow(
      @Mixin ConnectionOptions connection,
      @Parameters(paramLabel = "CLUSTER") String cluster,
      @Option(
              names = "--factor",
              defaultValue = "10",
              description = "How many times slower (default: ${DEFAULT-VALUE}).")
          int factor) {
    if (factor < 1) {
      throw CliException.usage("--factor must be at least 1");
    }
    return set(connection, cluster, "Slow", factor);
  }

  private int set(ConnectionOptions connection, String cluster, String failure, Integer factor) {
    HubClient hub = connection.client(ctx);
    String path = FleetKinds.CLUSTER.objectPath("", cluster);
    ObjectNode current = hub.getObject(path);
    if (!current.path("spec").path("connection").has("simulated")) {
      throw new CliException(
          "cluster "
              + cluster
              + " is not simulated: failures can only be injected into simulated clusters");
    }
    ObjectNode patch = ResourceCodec.newObject();
    ObjectNode sim = patch.putObject("spec").putObject("connection").putObject("simulated");
    sim.put("failure", failure);
    if (factor != null) {
      sim.put("slowFactor", factor);
    } else {
      sim.putNull("slowFactor");
    }
    hub.mergePatch(path, patch);
    ctx.out()
        .println(
            ObjectNames.of(FleetKinds.CLUSTER, cluster)
                + " (SIMULATED): failure "
                + failure
                + (factor != null ? " x" + factor : ""));
    return 0;
  }
}
