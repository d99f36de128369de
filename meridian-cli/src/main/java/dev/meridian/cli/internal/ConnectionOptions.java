package dev.meridian.cli.internal;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --hub}, {@code --token-file} and {@code --ca-file}, mixed into every command that talks to
 * the hub; see {@link HubEndpoint#resolve} for the defaults.
 */
public final class ConnectionOptions {
  @Option(
      names = "--hub",
      paramLabel = "URL",
      description = "Hub URL. Default: $MERIDIAN_HUB, else%n" + HubEndpoint.DEFAULT_URL + ".")
  String hub;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "File holding the bearer token. Default: the token in $MERIDIAN_TOKEN, else the file"
              + " named by $MERIDIAN_TOKEN_FILE.")
  Path tokenFile;

  @Option(
      names = "--ca-file",
      paramLabel = "FILE",
      description =
          "PEM CA certificate(s) to trust for an https hub. Default: $MERIDIAN_CA_FILE, else the"
              + " ca.crt beside the token file.")
  Path caFile;

  /** The hub these options (and the environment) name. */
  public HubEndpoint endpoint(CliContext ctx) {
    return HubEndpoint.resolve(hub, tokenFile, caFile, ctx);
  }

  /** Whether any of the options was given on the command line. */
  public boolean given() {
    return hub != null || tokenFile != null || caFile != null;
  }

  /** A client of the hub that prints the hub's warnings on stderr, as kubectl does. */
  public HubClient client(CliContext ctx) {
    return new HubClient(
        endpoint(ctx),
        warning -> {
          ctx.err().println("Warning: " + OneLine.safe(warning));
          ctx.err().flush();
        });
  }
}
