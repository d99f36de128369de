package dev.meridian.cli.internal;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code -o}: how {@code get} prints objects. */
public enum OutputFormat {
  TABLE,
  WIDE,
  YAML,
  JSON,
  NAME;

  /** Reads {@code -o} values as users type them, in lower case, and lists them when wrong. */
  public static final class Converter implements ITypeConverter<OutputFormat> {
    @Override
    public OutputFormat convert(String value) {
      for (OutputFormat f : values()) {
        if (f.name().equalsIgnoreCase(value)) {
          return f;
        }
      }
      throw new TypeConversionException(
          "unknown output format \""
              + OneLine.safe(value)
              + "\": expected one of "
              + Arrays.stream(values())
                  .map(f -> f.name().toLowerCase(Locale.ROOT))
                  .collect(Collectors.joining(", ")));
    }
  }
}
