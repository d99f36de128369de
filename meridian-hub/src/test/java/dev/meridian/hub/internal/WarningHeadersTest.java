package dev.meridian.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Warning header values are one quoted line each, bounded, and readable by kubectl. */
class WarningHeadersTest {
  @Test
  void quotesEscapesAndKeepsOneLine() {
    List<AsciiString> v =
        WarningHeaders.values(List.of("a: no cluster named \"x\\y\" is known", "two\r\nlines\t!"));
    assertThat(v)
        .extracting(AsciiString::toString)
        .containsExactly(
            "299 - \"a: no cluster named \\\"x\\\\y\\\" is known\"", "299 - \"two  lines !\"");
  }

  @Test
  void sendsNonAsciiTextAsUtf8() {
    AsciiString v = WarningHeaders.values(List.of("nom: « ß »")).get(0);
    assertThat(new String(v.array(), v.arrayOffset(), v.length(), StandardCharsets.UTF_8))
        .isEqualTo("299 - \"nom: « ß »\"");
  }

  @Test
  void capsLengthAndCountAndDropsDuplicates() {
    List<String> many = new ArrayList<>();
    many.add("x".repeat(WarningHeaders.MAX_LENGTH + 50));
    many.add("dup");
    many.add("dup");
    for (int i = 0; i < 30; i++) {
      many.add("w" + i);
    }
    List<AsciiString> v = WarningHeaders.values(many);
    assertThat(v).hasSize(WarningHeaders.MAX_COUNT);
    assertThat(v.get(0).toString())
        .isEqualTo("299 - \"" + "x".repeat(WarningHeaders.MAX_LENGTH) + "...\"");
    assertThat(v.get(1).toString()).isEqualTo("299 - \"dup\"");
    assertThat(v.get(2).toString()).isEqualTo("299 - \"w0\"");
    // 32 distinct texts, 19 shown: 13 more
    assertThat(v.get(WarningHeaders.MAX_COUNT - 1).toString())
        .isEqualTo("299 - \"and 13 more warnings\"");
  }
}
