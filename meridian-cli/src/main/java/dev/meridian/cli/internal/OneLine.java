package dev.meridian.cli.internal;

import java.util.Locale;

/**
 * Text that is safe to print as (part of) one terminal line: text from the hub or from files may
 * hold line breaks or escape sequences that would forge output or garble the terminal.
 */
public final class OneLine {
  private OneLine() {}

  /** Line breaks and tabs become spaces, other control characters {@code ?}. */
  public static String safe(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r' || c == '\t') {
        b.append(' ');
      } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        b.append('?');
      } else {
        b.append(c);
      }
    }
    return b.toString().strip();
  }

  /** A short, lower-case description of why an I/O operation failed. */
  public static String cause(Throwable e) {
    String msg = e.getMessage();
    if (msg == null || msg.isBlank()) {
      return e.getClass().getSimpleName();
    }
    String first = safe(msg);
    return first.isEmpty()
        ? e.getClass().getSimpleName()
        : first.substring(0, 1).toLowerCase(Locale.ROOT) + first.substring(1);
  }
}
