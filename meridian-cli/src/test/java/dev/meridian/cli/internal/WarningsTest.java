package dev.meridian.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Warning headers are read as kubectl reads them. */
class WarningsTest {
  @Test
  void readsQuotedTextsOfCode299() {
    assertThat(
            Warnings.texts(
                List.of(
                    "299 - \"a: no cluster named \\\"x\\\\y\\\" is known\"",
                    "299 kube-apiserver \"one\", 299 - \"two\" \"Wed, 21 Oct 2015 07:28:00 GMT\"",
                    "199 - \"not a deprecation\"",
                    "garbage",
                    "299 - \"unterminated")))
        .containsExactly("a: no cluster named \"x\\y\" is known", "one", "two");
  }

  @Test
  void readsUtf8TextThatTheHttpClientReadAsLatin1() {
    String sent = "299 - \"nom: « ß »\"";
    String asRead = new String(sent.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    assertThat(Warnings.texts(List.of(asRead))).containsExactly("nom: « ß »");
  }
}
