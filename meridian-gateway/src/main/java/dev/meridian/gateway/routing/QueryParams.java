package dev.meridian.gateway.routing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A request's query parameters, parsed only when a candidate rule has query matches. Names and
 * values are decoded ({@code %XX}, {@code +}); a name without {@code =} has the empty value.
 */
final class QueryParams {

  private final String[] names;
  private final String[] values;

  private QueryParams(String[] names, String[] values) {
    this.names = names;
    this.values = values;
  }

  static QueryParams parse(String raw) {
    if (raw == null || raw.isEmpty()) {
      return new QueryParams(new String[0], new String[0]);
    }
    int count = 1;
    for (int i = 0; i < raw.length(); i++) {
      if (raw.charAt(i) == '&') {
        count++;
      }
    }
    String[] names = new String[count];
    String[] values = new String[count];
    int n = 0;
    int from = 0;
    while (from <= raw.length()) {
      int end = raw.indexOf('&', from);
      if (end < 0) {
        end = raw.length();
      }
      if (end > from) {
        int eq = raw.indexOf('=', from);
        if (eq < 0 || eq > end) {
          names[n] = decode(raw, from, end);
          values[n] = "";
        } else {
          names[n] = decode(raw, from, eq);
          values[n] = decode(raw, eq + 1, end);
        }
        n++;
      }
      from = end + 1;
    }
    return new QueryParams(names, values);
  }

  /** The first value of the parameter, or null. */
  String get(String name) {
    for (int i = 0; i < names.length; i++) {
      if (name.equals(names[i])) {
        return values[i];
      }
    }
    return null;
  }

  private static String decode(String s, int from, int to) {
    boolean plain = true;
    for (int i = from; i < to && plain; i++) {
      char c = s.charAt(i);
      plain = c != '%' && c != '+';
    }
    if (plain) {
      return s.substring(from, to);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '+') {
        out.write(' ');
      } else if (c == '%' && i + 2 < to && hex(s, i + 1) >= 0) {
        out.write(hex(s, i + 1));
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int hex(String s, int at) {
    int hi = Character.digit(s.charAt(at), 16);
    int lo = Character.digit(s.charAt(at + 1), 16);
    return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
  }
}
