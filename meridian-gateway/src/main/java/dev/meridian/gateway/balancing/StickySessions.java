package dev.meridian.gateway.balancing;

import dev.meridian.gateway.Endpoint;
import dev.meridian.gateway.Headers;
import java.time.Duration;
import java.util.List;

/**
 * Cookie session persistence: the cookie's value is an opaque hash of the endpoint's id (so it
 * neither reveals addresses nor breaks when the table is recompiled), and a request carrying it is
 * sent to that endpoint while it is eligible.
 *
 * @param absoluteTimeout the cookie's {@code Max-Age}, or null for a session cookie
 */
public record StickySessions(String cookieName, Duration absoluteTimeout) {

  public static final String DEFAULT_COOKIE = "meridian-session";

  /** The cookie value that designates {@code e}. */
  public static String valueOf(Endpoint e) {
    long h = 0xcbf29ce484222325L;
    String id = e.id();
    for (int i = 0; i < id.length(); i++) {
      h ^= id.charAt(i);
      h *= 0x100000001b3L;
    }
    return Long.toUnsignedString(h, 36);
  }

  /** The value of this cookie in the request's {@code Cookie} headers, or null. */
  public String read(Headers headers) {
    List<String> all = headers.getAll("cookie");
    for (int i = 0; i < all.size(); i++) {
      String v = find(all.get(i));
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  private String find(String header) {
    int n = header.length();
    int from = 0;
    while (from < n) {
      while (from < n && (header.charAt(from) == ' ' || header.charAt(from) == ';')) {
        from++;
      }
      int end = header.indexOf(';', from);
      if (end < 0) {
        end = n;
      }
      int nameEnd = from + cookieName.length();
      if (nameEnd < end
          && header.charAt(nameEnd) == '='
          && header.regionMatches(from, cookieName, 0, cookieName.length())) {
        return header.substring(nameEnd + 1, end).trim();
      }
      from = end + 1;
    }
    return null;
  }

  /** The {@code Set-Cookie} value that makes the client stick to {@code e}. */
  public String setCookie(Endpoint e, boolean secure) {
    StringBuilder b =
        new StringBuilder(cookieName).append('=').append(valueOf(e)).append("; Path=/; HttpOnly");
    if (absoluteTimeout != null) {
      b.append("; Max-Age=").append(absoluteTimeout.toSeconds());
    }
    if (secure) {
      b.append("; Secure");
    }
    return b.toString();
  }
}
