package dev.meridian.cli.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code Warning} response headers (RFC 7234 §5.5) as kubectl does: each {@code 299}
 * warning's text, unquoted; other codes and values that cannot be read are skipped. One header may
 * hold several warnings separated by commas.
 */
public final class Warnings {
  private Warnings() {}

  /** The texts of the {@code 299} warnings in {@code headerValues}, in order. */
  public static List<String> texts(List<String> headerValues) {
    List<String> out = new ArrayList<>();
    for (String value : headerValues) {
      parse(utf8(value), out);
    }
    return out;
  }

  private static void parse(String v, List<String> out) {
    int i = 0;
    int n = v.length();
    while (true) {
      while (i < n && (v.charAt(i) == ' ' || v.charAt(i) == '\t' || v.charAt(i) == ',')) {
        i++;
      }
      if (i >= n) {
        return;
      }
      // warn-code SP warn-agent SP warn-text [SP warn-date]
      if (i + 4 > n
          || !Character.isDigit(v.charAt(i))
          || !Character.isDigit(v.charAt(i + 1))
          || !Character.isDigit(v.charAt(i + 2))
          || v.charAt(i + 3) != ' ') {
        return;
      }
      String code = v.substring(i, i + 3);
      i += 4;
      while (i < n && v.charAt(i) != ' ') {
        i++; // the agent
      }
      if (i + 1 >= n || v.charAt(i + 1) != '"') {
        return;
      }
      StringBuilder text = new StringBuilder();
      i = quoted(v, i + 1, text);
      if (i < 0) {
        return;
      }
      if (i + 1 < n && v.charAt(i) == ' ' && v.charAt(i + 1) == '"') {
        i = quoted(v, i + 1, new StringBuilder()); // the date
        if (i < 0) {
          return;
        }
      }
      if (code.equals("299")) {
        out.add(text.toString());
      }
    }
  }

  /** Reads the quoted string starting at {@code start} into {@code text}; the index after it. */
  private static int quoted(String v, int start, StringBuilder text) {
    for (int i = start + 1; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '\\' && i + 1 < v.length()) {
        text.append(v.charAt(++i));
      } else if (c == '"') {
        return i + 1;
      } else {
        text.append(c);
      }
    }
    return -1;
  }

  /**
   * The HTTP client reads header bytes as ISO-8859-1; a hub sends UTF-8 (as kube-apiserver): read
   * them again as UTF-8 when they are.
   */
  private static String utf8(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) > 0xFF) {
        return value;
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(value.getBytes(StandardCharsets.ISO_8859_1)))
          .toString();
    } catch (CharacterCodingException e) {
      return value;
    }
  }
}
