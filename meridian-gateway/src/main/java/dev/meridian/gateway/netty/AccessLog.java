package dev.meridian.gateway.netty;

import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per request on the SLF4J logger {@code dev.meridian.gateway.access}, for a sampled
 * share of requests (0 = off, the default: a log line per request costs more than proxying it).
 */
final class AccessLog {

  private static final Logger LOG = LoggerFactory.getLogger("dev.meridian.gateway.access");

  private final double sampleRate;

  AccessLog(double sampleRate) {
    this.sampleRate = sampleRate;
  }

  /** Whether this request is logged; decided once per request. */
  boolean sample() {
    return sampleRate > 0
        && (sampleRate >= 1 || ThreadLocalRandom.current().nextDouble() < sampleRate)
        && LOG.isInfoEnabled();
  }

  /** One logged request. */
  record Entry(
      String client,
      String method,
      String host,
      String path,
      int status,
      String route,
      String endpoint,
      int attempts,
      long nanos) {}

  void write(Entry e) {
    LOG.info(line(e));
  }

  static String line(Entry e) {
    StringBuilder b = new StringBuilder(256).append('{');
    field(b, "client", e.client()).append(',');
    field(b, "method", e.method()).append(',');
    field(b, "host", e.host()).append(',');
    field(b, "path", e.path()).append(',');
    b.append("\"status\":").append(e.status()).append(',');
    field(b, "route", e.route()).append(',');
    field(b, "endpoint", e.endpoint()).append(',');
    b.append("\"attempts\":").append(e.attempts()).append(',');
    b.append("\"durationMs\":").append(e.nanos() / 1_000_000.0).append('}');
    return b.toString();
  }

  private static StringBuilder field(StringBuilder b, String name, String value) {
    b.append('"').append(name).append("\":");
    if (value == null) {
      return b.append("null");
    }
    b.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"');
  }
}
