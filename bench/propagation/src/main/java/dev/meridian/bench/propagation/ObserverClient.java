package dev.meridian.bench.propagation;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The bench's end of the {@link MemberObserver} connection: sends commands, and hands every
 * reported member change to a {@link Sink} together with the moment it arrived here ({@link
 * System#nanoTime()}, the same clock the bench starts its timers with).
 */
final class ObserverClient implements AutoCloseable {
  /** What a member now holds. */
  record Change(
      String cluster,
      String namespace,
      String name,
      String specMark,
      String metaMark,
      String type,
      long atNanos) {}

  interface Sink {
    void accept(Change c);
  }

  private final Socket socket;
  private final OutputStream out;
  private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
  private final Sink sink;
  private volatile boolean closed;

  ObserverClient(int port, Sink sink) throws IOException {
    this.socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setTcpNoDelay(true);
    this.out = socket.getOutputStream();
    this.sink = sink;
    Thread t = new Thread(this::read, "observer-in");
    t.setDaemon(true);
    t.start();
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8), 1 << 16)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith("E ")) {
          long now = System.nanoTime();
          String[] f = line.split(" ");
          sink.accept(new Change(f[1], f[2], f[3], f[4], f[5], f[6], now));
        } else {
          replies.add(line);
        }
      }
    } catch (IOException e) {
      if (!closed) {
        System.err.println("observer connection: " + e);
      }
    }
  }

  /** Sends one command and returns its answer; fails on {@code ERR} or after {@code timeout}. */
  synchronized String command(String line, Duration timeout)
      throws IOException, InterruptedException {
    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
    String reply = replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (reply == null) {
      throw new IOException("no answer from the observer to " + line);
    }
    if (!reply.startsWith("OK")) {
      throw new IOException("observer: " + reply);
    }
    return reply;
  }

  @Override
  public void close() {
    closed = true;
    try {
      socket.close();
    } catch (IOException e) {
      // going away anyway
    }
  }
}
