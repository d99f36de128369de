package dev.meridian.bench.propagation;

import dev.meridian.hub.Hub;
import dev.meridian.hub.HubOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * The child JVM that runs the hub under test: {@code PropagationHubMain DATA_DIR READY_FILE
 * PROBE_MS GRACE_MS RESYNC_MS}.
 *
 * <p>As {@code bench/fleet}'s {@code FleetHubMain}: it starts a hub with its fleet and propagation
 * controllers on a free loopback port over TLS and stops when its standard input ends (the bench
 * holds the other end of that pipe, so the hub goes away with the bench even after a {@code kill
 * -9}). Beside the hub it runs a {@link MemberObserver}, because simulated member clusters live in
 * the hub's JVM: only from here can anyone see what they hold. The ready file gets {@code
 * URL\nTOKEN_FILE\nCA_FILE\nOBSERVER_PORT\n}, written atomically once both serve.
 */
public final class PropagationHubMain {
  private PropagationHubMain() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 5) {
      System.err.println(
          "usage: PropagationHubMain DATA_DIR READY_FILE PROBE_INTERVAL_MS GRACE_MS RESYNC_MS");
      System.exit(2);
    }
    Path data = Path.of(args[0]);
    Path ready = Path.of(args[1]);
    Duration probe = Duration.ofMillis(Long.parseLong(args[2]));
    Duration grace = Duration.ofMillis(Long.parseLong(args[3]));
    Duration resync = Duration.ofMillis(Long.parseLong(args[4]));
    Hub hub =
        Hub.start(HubOptions.of(data, "127.0.0.1", 0).withHealth(probe, grace).withResync(resync));
    MemberObserver observer = MemberObserver.start(hub);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  observer.close();
                  hub.close();
                },
                "hub-shutdown"));
    Path tmp = ready.resolveSibling(ready.getFileName() + ".tmp");
    Files.writeString(
        tmp,
        hub.url()
            + "\n"
            + hub.tokenFile().toAbsolutePath()
            + "\n"
            + hub.caFile().toAbsolutePath()
            + "\n"
            + observer.port()
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
    System.exit(0); // runs the shutdown hook, which closes the observer and the hub
  }
}
