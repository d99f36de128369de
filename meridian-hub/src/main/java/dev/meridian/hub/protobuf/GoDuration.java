package dev.meridian.hub.protobuf;

/** Go's {@code time.Duration.String()}: {@code 1h2m3.5s}, {@code 150ms}, {@code 0s}. */
final class GoDuration {
  private GoDuration() {}

  static String format(long nanos) {
    if (nanos == 0) {
      return "0s";
    }
    boolean negative = nanos < 0;
    // Long.MIN_VALUE has no positive counterpart: work on the unsigned magnitude
    long u = negative ? -nanos : nanos;
    StringBuilder sb = new StringBuilder();
    if (Long.compareUnsigned(u, 1_000_000_000L) < 0) {
      // below one second: the largest unit that keeps the integer part non-zero
      long[] units = {1L, 1_000L, 1_000_000L};
      String[] names = {"ns", "µs", "ms"};
      int i = u < 1_000L ? 0 : u < 1_000_000L ? 1 : 2;
      sb.append(fraction(u, units[i])).append(names[i]);
    } else {
      long hours = Long.divideUnsigned(u, 3_600_000_000_000L);
      long rest = Long.remainderUnsigned(u, 3_600_000_000_000L);
      long minutes = rest / 60_000_000_000L;
      rest %= 60_000_000_000L;
      if (hours > 0) {
        sb.append(Long.toUnsignedString(hours)).append('h');
      }
      if (hours > 0 || minutes > 0) {
        sb.append(minutes).append('m');
      }
      sb.append(fraction(rest, 1_000_000_000L)).append('s');
    }
    return (negative ? "-" : "") + sb;
  }

  /** {@code value / unit} with the fraction's trailing zeros dropped. */
  private static String fraction(long value, long unit) {
    long whole = value / unit;
    long frac = value % unit;
    if (frac == 0) {
      return Long.toString(whole);
    }
    int digits = Long.toString(unit).length() - 1;
    String f = String.format("%0" + digits + "d", frac).replaceAll("0+$", "");
    return whole + "." + f;
  }
}
