package dev.meridian.bench;

import dev.meridian.hub.Hub;
import dev.meridian.hub.HubOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The child JVM that runs the hub under test: {@code HubMain DATA_DIR READY_FILE [tls|plain]}.
 *
 * <p>It listens on a free loopback port, over TLS as the hub ships (or plain HTTP), writes {@code
 * URL\nTOKEN_FILE\nCA_FILE\n} to {@code READY_FILE} (atomically) once it serves, and stops when its
 * standard input ends: the benchmark holds the other end of that pipe, so the hub goes away with
 * the benchmark even if that is killed hard.
 */
public final class HubMain {
  private HubMain() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2 || args.length > 3) {
      System.err.println("usage: HubMain DATA_DIR READY_FILE [tls|plain]");
      System.exit(2);
    }
    Path data = Path.of(args[0]);
    Path ready = Path.of(args[1]);
    boolean plain = args.length == 3 && args[2].equals("plain");
    HubOptions options = HubOptions.of(data, "127.0.0.1", 0);
    Hub hub = Hub.start(options.withPlainHttp(plain));
    Runtime.getRuntime().addShutdownHook(new Thread(hub::close, "hub-shutdown"));
    Path tmp = ready.resolveSibling(ready.getFileName() + ".tmp");
    Path ca = hub.caFile();
    Files.writeString(
        tmp,
        hub.url()
            + "\n"
            + hub.tokenFile().toAbsolutePath()
            + "\n"
            + (ca == null ? "-" : ca.toAbsolutePath().toString())
            + "\n",
        StandardCharsets.UTF_8);
    Files.move(tmp, ready, StandardCopyOption.ATOMIC_MOVE);
    System.out.println("hub ready at " + hub.url() + " pid " + ProcessHandle.current().pid());
    System.out.flush();
    byte[] buf = new byte[256];
    try {
      while (System.in.read(buf) >= 0) {
        // the benchmark sends nothing; we only wait for the pipe to close
      }
    } catch (IOException e) {
      // the pipe broke: same as closed
    }
    System.out.println("stdin closed; stopping the hub");
    System.exit(0); // runs the shutdown hook, which closes the hub
  }
}
