package dev.meridian.api;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes resource quantities ({@code 500m}, {@code 2}, {@code 1.5Gi}, {@code 128974848}, {@code
 * 1e3}): one parser for the scheduler, the members' capacity and drift detection.
 */
public final class Quantities {
  private static final Pattern QUANTITY =
      Pattern.compile("([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))([a-zA-Z]*|[eE][+-]?[0-9]+)");

  private Quantities() {}

  /**
   * Whether two texts are the same quantity ({@code 0.5} and {@code 500m}); false if either is not
   * one.
   */
  public static boolean same(String a, String b) {
    try {
      return parse(a).compareTo(parse(b)) == 0;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * The value of {@code text}.
   *
   * @throws IllegalArgumentException naming the text when it is not a quantity
   */
  public static BigDecimal parse(String text) {
    Matcher m = text == null ? null : QUANTITY.matcher(text.strip());
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException("invalid quantity \"" + text + "\"");
    }
    BigDecimal number = new BigDecimal(m.group(1));
    String suffix = m.group(2);
    BigDecimal scale =
        switch (suffix) {
          case "" -> BigDecimal.ONE;
          case "n" -> BigDecimal.ONE.scaleByPowerOfTen(-9);
          case "u" -> BigDecimal.ONE.scaleByPowerOfTen(-6);
          case "m" -> BigDecimal.ONE.scaleByPowerOfTen(-3);
          case "k" -> BigDecimal.ONE.scaleByPowerOfTen(3);
          case "M" -> BigDecimal.ONE.scaleByPowerOfTen(6);
          case "G" -> BigDecimal.ONE.scaleByPowerOfTen(9);
          case "T" -> BigDecimal.ONE.scaleByPowerOfTen(12);
          case "P" -> BigDecimal.ONE.scaleByPowerOfTen(15);
          case "E" -> BigDecimal.ONE.scaleByPowerOfTen(18);
          case "Ki" -> BigDecimal.valueOf(1L << 10);
          case "Mi" -> BigDecimal.valueOf(1L << 20);
          case "Gi" -> BigDecimal.valueOf(1L << 30);
          case "Ti" -> BigDecimal.valueOf(1L << 40);
          case "Pi" -> BigDecimal.valueOf(1L << 50);
          case "Ei" -> BigDecimal.valueOf(1L << 60);
          default -> exponent(text, suffix);
        };
    return number.multiply(scale);
  }

  /** A cpu quantity in millicores, rounded up as Kubernetes does. */
  public static long cpuMillis(String text) {
    return toLong(parse(text).scaleByPowerOfTen(3), text);
  }

  /** A memory quantity (or any count) in whole units, rounded up. */
  public static long units(String text) {
    return toLong(parse(text), text);
  }

  /** Millicores as Kubernetes writes them: {@code 2} or {@code 1500m}. */
  public static String formatCpu(long millis) {
    return millis % 1000 == 0 ? Long.toString(millis / 1000) : millis + "m";
  }

  /** Bytes in the largest binary unit that divides them: {@code 64Mi}, {@code 1Gi}. */
  public static String formatBytes(long bytes) {
    String[] units = {"Ei", "Pi", "Ti", "Gi", "Mi", "Ki"};
    for (int i = 0; i < units.length; i++) {
      long unit = 1L << (10 * (units.length - i));
      if (bytes != 0 && bytes % unit == 0) {
        return bytes / unit + units[i];
      }
    }
    return Long.toString(bytes);
  }

  private static BigDecimal exponent(String text, String suffix) {
    if (suffix.length() > 1 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')) {
      try {
        int exp = Integer.parseInt(suffix.substring(1));
        if (Math.abs(exp) <= 30) {
          return BigDecimal.ONE.scaleByPowerOfTen(exp);
        }
      } catch (NumberFormatException e) {
        // falls through to the error below
      }
    }
    throw new IllegalArgumentException("invalid quantity \"" + text + "\"");
  }

  private static long toLong(BigDecimal value, String text) {
    BigDecimal rounded = value.setScale(0, RoundingMode.CEILING);
    if (rounded.signum() < 0) {
      throw new IllegalArgumentException("invalid quantity \"" + text + "\": negative");
    }
    if (rounded.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      return Long.MAX_VALUE;
    }
    return rounded.longValueExact();
  }
}
