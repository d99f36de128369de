package dev.meridian.hub.internal;

import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code Warning} response headers as kube-apiserver sends them (RFC 7234 §5.5): {@code 299 -
 * "text"}, one header per warning, which kubectl and Meridian print as {@code Warning: text}. The
 * text is one line, quoted per RFC 7230 ({@code "} and {@code \} escaped), sent as UTF-8 bytes, and
 * capped in length and number so a policy with many findings cannot make a huge response head.
 */
final class WarningHeaders {
  /** Headers at most; beyond, the last says how many more there were. */
  static final int MAX_COUNT = 20;

  /** Characters of one warning's text at most. */
  static final int MAX_LENGTH = 512;

  private WarningHeaders() {}

  /** The header values for {@code texts}, in order, duplicates once. */
  static List<AsciiString> values(List<String> texts) {
    Set<String> unique = new LinkedHashSet<>();
    for (String t : texts) {
      unique.add(oneLine(t));
    }
    List<String> shown = new ArrayList<>(unique);
    if (shown.size() > MAX_COUNT) {
      int more = shown.size() - (MAX_COUNT - 1);
      shown = new ArrayList<>(shown.subList(0, MAX_COUNT - 1));
      shown.add("and " + more + " more warnings");
    }
    List<AsciiString> out = new ArrayList<>(shown.size());
    for (String text : shown) {
      out.add(new AsciiString(value(text).getBytes(StandardCharsets.UTF_8), false));
    }
    return out;
  }

  /** {@code 299 - "text"} with the text quoted. */
  static String value(String text) {
    StringBuilder b = new StringBuilder(text.length() + 10).append("299 - \"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\');
      }
      b.append(c);
    }
    return b.append('"').toString();
  }

  /** Control characters (line breaks included) become spaces; too long a text is cut. */
  static String oneLine(String text) {
    StringBuilder b = new StringBuilder(Math.min(text.length(), MAX_LENGTH + 3));
    int count = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (count == MAX_LENGTH) {
        b.append("...");
        break;
      }
      b.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp);
      count++;
    }
    return b.toString().strip();
  }
}
