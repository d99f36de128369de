package dev.meridian.store.embedded;

import dev.meridian.store.KeyValue;
import dev.meridian.store.Precondition;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Child process of {@link EmbeddedStoreCrashTest}: writes new keys from several threads until it is
 * killed, printing {@code ACK <key> <revision> END} for each put only after the put returned.
 *
 * <p>Arguments: store directory, round name, thread count.
 */
public final class CrashWriter {
  /** Small, so that snapshots and segment switches happen while the writer is killed. */
  static final long SNAPSHOT_THRESHOLD_BYTES = 256 << 10;

  private CrashWriter() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    String round = args[1];
    int threads = Integer.parseInt(args[2]);
    PrintStream out = System.out;
    EmbeddedStore store =
        EmbeddedStore.open(
            dir,
            EmbeddedStore.Options.defaults().withSnapshotThresholdBytes(SNAPSHOT_THRESHOLD_BYTES));
    for (int t = 0; t < threads; t++) {
      String prefix = "crash/" + round + "/" + t + "/";
      Thread writer =
          new Thread(
              () -> {
                for (long i = 0; ; i++) {
                  String key = prefix + i;
                  KeyValue kv = store.put(key, valueFor(key), Precondition.ABSENT, 0);
                  synchronized (out) {
                    out.println("ACK " + key + " " + kv.modRevision() + " END");
                    out.flush();
                  }
                }
              });
      writer.start();
    }
  }

  /** The only well-formed value of {@code key}; its length varies so records end anywhere. */
  static byte[] valueFor(String key) {
    int length = 64 + Math.floorMod(key.hashCode(), 900);
    StringBuilder value = new StringBuilder(key).append('=');
    while (value.length() < length) {
      value.append((char) ('a' + value.length() % 26));
    }
    return value.toString().getBytes(StandardCharsets.UTF_8);
  }
}
