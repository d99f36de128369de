package dev.meridian.bench.support;

import dev.meridian.hub.Hub;
import dev.meridian.hub.HubOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * The child JVM that runs the hub under test, started by {@link HubJvm}: {@code HubChild DATA_DIR
 * READY_FILE [--plain-http] [--health PROBE_MS GRACE_MS] [--resync MS] [--companion CLASS]}.
 *
 * <p>It starts a hub (with its controllers) on a free loopback port, over TLS as the hub ships or
 * plain HTTP, and a {@link Companion} beside it if one is named. Once both serve it writes {@code
 * URL\nTOKEN_FILE\nCA_FILE\n} ({@code -} for no CA) and the companion's line to {@code READY_FILE}
 * (atomically), and it stops when its standard input ends: the bench holds the other end of that
 * pipe, so the hub goes away with the bench even if the bench is killed hard ({@code kill -9}). A
 * shutdown hook closes the companion, then the hub.
 */
public final class HubChild {
  private HubChild() {}

  /**
   * Something that runs in the hub's JVM beside it (e.g. an observer of the simulated member
   * clusters, which live there). Named by class with {@code --companion}; it needs a public no-arg
   * constructor.
   */
  public interface Companion extends AutoCloseable {
    /** Starts beside the hub; returns one line for the ready file (e.g. a port). */
    String start(Hub hub) throws IOException;

    @Override
    void close();
  }

  static final String USAGE =
      "usage: HubChild DATA_DIR READY_FILE [--plain-http] [--health PROBE_INTERVAL_MS GRACE_MS]"
          + " [--resync MS] [--companion CLASS]";

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      usage();
    }
    Path data = Path.of(args[0]);
    Path ready = Path.of(args[1]);
    HubOptions options = HubOptions.of(data, "127.0.0.1", 0);
    String companionClass = null;
    for (int i = 2; i < args.length; i++) {
      switch (args[i]) {
        case "--plain-http" -> options = options.withPlainHttp(true);
        case "--health" -> {
          if (i + 2 >= args.length) {
            usage();
          }
          options = options.withHealth(millis(args[++i]), millis(args[++i]));
        }
        case "--resync" -> {
          if (i + 1 >= args.length) {
            usage();
          }
          options = options.withResync(millis(args[++i]));
        }
        case "--companion" -> {
          if (i + 1 >= args.length) {
            usage();
          }
          companionClass = args[++i];
        }
        default -> usage();
      }
    }
    Hub hub = Hub.start(options);
    Companion companion =
        companionClass == null
            ? null
            : (Companion) Class.forName(companionClass).getDeclaredConstructor().newInstance();
    String companionLine = companion == null ? null : companion.start(hub);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (companion != null) {
                    companion.close();
                  }
                  hub.close();
                },
                "hub-shutdown"));
    Path ca = hub.caFile();
    StringBuilder lines = new StringBuilder();
    lines.append(hub.url()).append('\n');
    lines.append(hub.tokenFile().toAbsolutePath()).append('\n');
    lines.append(ca == null ? "-" : ca.toAbsolutePath().toString()).append('\n');
    if (companionLine != null) {
      lines.append(companionLine).append('\n');
    }
    Path tmp = ready.resolveSibling(ready.getFileName() + ".tmp");
    Files.writeString(tmp, lines, StandardCharsets.UTF_8);
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
    System.exit(0); // runs the shutdown hook, which closes the companion and the hub
  }

  private static Duration millis(String v) {
    return Duration.ofMillis(Long.parseLong(v));
  }

  private static void usage() {
    System.err.println(USAGE);
    System.exit(2);
  }
}
