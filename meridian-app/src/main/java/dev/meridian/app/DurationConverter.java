package dev.meridian.app;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads durations as Kubernetes writes them: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}.
 */
final class DurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    var m = java.util.regex.Pattern.compile("([0-9]+)(ms|s|m|h)").matcher(value.trim());
    if (!m.matches()) {
      throw new TypeConversionException(
          "\"" + value + "\" is not a duration like 500ms, 10s, 2m or 1h");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }
}
