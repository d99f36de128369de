package dev.meridian.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code meridian version}: this client's version and, when it answers, the hub's. */
@Command(name = "version", description = "Print the client's version and the hub's.")
public final class VersionCommand implements Callable<Integer> {
  private final CliContext ctx;

  @Mixin ConnectionOptions connection;

  @Option(names = "--client", description = "Only the client's version; do not ask the hub.")
  boolean clientOnly;

  public VersionCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    ctx.out().println("Client Version: " + ClientVersion.VERSION);
    if (!clientOnly) {
      String server;
      try {
        server = serverVersion(connection.client(ctx).get("/version"));
      } catch (HubClient.Interrupted e) {
        throw e;
      } catch (CliException e) {
        // the client's version is still worth printing; say why the hub's is missing
        server = "unavailable (" + e.getMessage() + ")";
      }
      ctx.out().println("Server Version: " + server);
    }
    ctx.out().flush();
    return 0;
  }

  /** {@code gitVersion} of a Kubernetes {@code version.Info}, else any {@code version} field. */
  static String serverVersion(JsonNode info) {
    for (String field : new String[] {"gitVersion", "version"}) {
      String v = info.path(field).asText("");
      if (!v.isEmpty()) {
        return OneLine.safe(v);
      }
    }
    return OneLine.safe(info.toString());
  }
}
