package dev.meridian.bench;

import dev.meridian.hub.Hub;
import dev.meridian.hub.HubOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * The child JVM that runs the hub under test: {@code FleetHubMain DATA_DIR READY_FILE PROBE_MS
 * GRACE_MS}.
 *
 * <p>It starts a hub with its fleet controllers on a free loopback port over TLS, writes {@code
 * URL\nTOKEN_FILE\nCA_FILE\n} to {@code READY_FILE} (atomically) once it serves, and stops when its
 * standard input ends: the bench holds the other end of that pipe, so the hub goes away with the
 * bench even if the bench is killed hard.
 */
public final class FleetHubMain {
  private FleetHubMain() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 4) {
      System.err.println("usage: FleetHubMain DATA_DIR READY_FILE PROBE_INTERVAL_MS GRACE_MS");
      System.exit(2);
    }
    Path data = Path.of(args[0]);
    Path ready = Path.of(args[1]);
    Duration probe = Duration.ofMillis(Long.parseLong(args[2]));
    Duration grace = Duration.ofMillis(Long.parseLong(args[3]));
    Hub hub = Hub.start(HubOptions.of(data, "127.0.0.1", 0).withHealth(probe, grace));
    Runtime.getRuntime().addShutdownHook(new Thread(hub::close, "hub-shutdown"));
    Path tmp = ready.resolveSibling(ready.getFileName() + ".tmp");
    Files.writeString(
        tmp,
        hub.url()
            + "\n"
            + hub.tokenFile().toAbsolutePath()
            + "\n"
            + hub.caFile().toAbsolutePath()
            + "\n",
        StandardCharsets.UTF_8);
    Files.move(tmp, ready, StandardCopyOption.ATOMIC_MOVE);
    System.out.println("hub ready at " + hub.url() + " pid " + ProcessHandle.current().pid());
    System.out.flush();
    byte[] buf = new byte[256];
    try {
      while (System.in.read(buf) >= 0) {
        // the bench sends nothing; we only wait for the pipe to close
      }
    } catch (IOException e) {
      // a broken pipe means the same as a closed one
    }
    System.out.println("stdin closed; stopping the hub");
    System.exit(0); // runs the shutdown hook, which closes the hub
  }
}
