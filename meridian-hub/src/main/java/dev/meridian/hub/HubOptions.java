package dev.meridian.hub;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to run a hub.
 *
 * @param dataDir where the embedded store, the PKI and {@code admin.token} live
 * @param host address to listen on
 * @param port port to listen on, 0 for any free port
 * @param maxBodyBytes largest request body accepted (Kubernetes' default is 3 MiB)
 * @param plainHttp serve plain HTTP instead of TLS (kubectl then sends no credentials; for
 *     debugging behind a TLS-terminating proxy only)
 * @param probeInterval how often member clusters are probed
 * @param gracePeriod how long a silent cluster keeps its last state before it turns Unknown
 * @param resync how often every Work is re-applied, which reverts drift in the members
 * @param controllers run the control loops (fleet health, propagation); false serves the API only
 */
public record HubOptions(
    Path dataDir,
    String host,
    int port,
    int maxBodyBytes,
    boolean plainHttp,
    Duration probeInterval,
    Duration gracePeriod,
    Duration resync,
    boolean controllers) {
  public static final int DEFAULT_PORT = 7800;
  public static final int DEFAULT_MAX_BODY = 3 * 1024 * 1024;
  public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(10);
  public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(40);
  public static final Duration DEFAULT_RESYNC = Duration.ofSeconds(30);

  public static HubOptions of(Path dataDir, String host, int port) {
    return new HubOptions(
        dataDir,
        host,
        port,
        DEFAULT_MAX_BODY,
        false,
        DEFAULT_PROBE_INTERVAL,
        DEFAULT_GRACE_PERIOD,
        DEFAULT_RESYNC,
        true);
  }

  /** The same options serving plain HTTP (or TLS when false). */
  public HubOptions withPlainHttp(boolean plain) {
    return new HubOptions(
        dataDir, host, port, maxBodyBytes, plain, probeInterval, gracePeriod, resync, controllers);
  }

  /** The same options with other health timings (tests use short ones). */
  public HubOptions withHealth(Duration probeInterval, Duration gracePeriod) {
    return new HubOptions(
        dataDir,
        host,
        port,
        maxBodyBytes,
        plainHttp,
        probeInterval,
        gracePeriod,
        resync,
        controllers);
  }

  /** The same options with another resync period. */
  public HubOptions withResync(Duration resync) {
    return new HubOptions(
        dataDir,
        host,
        port,
        maxBodyBytes,
        plainHttp,
        probeInterval,
        gracePeriod,
        resync,
        controllers);
  }

  /**
   * The same options with the control loops on or off (off: an API-only hub, as tests of the API
   * use).
   */
  public HubOptions withControllers(boolean on) {
    return new HubOptions(
        dataDir, host, port, maxBodyBytes, plainHttp, probeInterval, gracePeriod, resync, on);
  }
}
