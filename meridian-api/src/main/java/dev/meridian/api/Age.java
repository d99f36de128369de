package dev.meridian.api;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * An object's age as kubectl prints it ({@code HumanDuration}): exact to the second for two
 * minutes, then coarser ({@code 3m10s}, {@code 15m}, {@code 2h5m}, {@code 20h}, {@code 3d4h},
 * {@code 40d}, {@code 2y30d}).
 */
public final class Age {
  private Age() {}

  /** The age of an object created at {@code creationTimestamp} (RFC 3339), at {@code now}. */
  public static String since(String creationTimestamp, Instant now) {
    if (creationTimestamp == null || creationTimestamp.isEmpty()) {
      return "<unknown>";
    }
    try {
      return of(Duration.between(Instant.parse(creationTimestamp), now));
    } catch (DateTimeParseException e) {
      return "<unknown>";
    }
  }

  public static String of(Duration d) {
    long seconds = d.toSeconds();
    // up to a second in the future is clock skew between hub and client, not an error
    if (seconds < -1) {
      return "<invalid>";
    }
    if (seconds < 0) {
      return "0s";
    }
    if (seconds < 120) {
      return seconds + "s";
    }
    long minutes = seconds / 60;
    if (minutes < 10) {
      return withRest(minutes, "m", seconds % 60, "s");
    }
    if (minutes < 180) {
      return minutes + "m";
    }
    long hours = minutes / 60;
    if (hours < 8) {
      return withRest(hours, "h", minutes % 60, "m");
    }
    if (hours < 48) {
      return hours + "h";
    }
    if (hours < 24 * 8) {
      return withRest(hours / 24, "d", hours % 24, "h");
    }
    if (hours < 24 * 365 * 2) {
      return hours / 24 + "d";
    }
    if (hours < 24 * 365 * 8) {
      return withRest(hours / 24 / 365, "y", (hours / 24) % 365, "d");
    }
    return hours / 24 / 365 + "y";
  }

  private static String withRest(long big, String bigUnit, long rest, String restUnit) {
    return rest == 0 ? big + bigUnit : big + bigUnit + rest + restUnit;
  }
}
