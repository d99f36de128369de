package dev.meridian.api.network;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Gateway API duration (GEP-2257): one to four number-unit pairs, units {@code h}, {@code m},
 * {@code s}, {@code ms}, each number at most five digits: {@code 1h}, {@code 30s}, {@code 500ms},
 * {@code 1m30s}. Stricter than Go's {@code time.ParseDuration} on purpose: no fractions, signs or
 * {@code us}, so every implementation reads a route the same way.
 */
public final class GatewayDuration {
  private static final Pattern WHOLE = Pattern.compile("^([0-9]{1,5}(h|m|s|ms)){1,4}$");
  private static final Pattern PART = Pattern.compile("([0-9]{1,5})(h|ms|m|s)");

  private GatewayDuration() {}

  /**
   * @throws IllegalArgumentException if {@code text} is not a Gateway API duration
   */
  public static Duration parse(String text) {
    if (text == null || !WHOLE.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a duration (examples: 1h, 30s, 500ms, 1m30s)");
    }
    Duration d = Duration.ZERO;
    Matcher m = PART.matcher(text);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      d =
          d.plus(
              switch (m.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMillis(n);
              });
    }
    return d;
  }
}
