package dev.meridian.cli.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.meridian.api.ResourceCodec;

/** JSON as kubectl prints it: four-space indents, {@code "key": value}, one array item a line. */
final class JsonText {
  private static final ObjectWriter WRITER = ResourceCodec.JSON.writer(printer());

  private JsonText() {}

  static String pretty(JsonNode node) {
    try {
      return WRITER.writeValueAsString(node) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static DefaultPrettyPrinter printer() {
    DefaultIndenter indent = new DefaultIndenter("    ", "\n");
    Separators separators =
        Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator("");
    return new DefaultPrettyPrinter(separators)
        .withObjectIndenter(indent)
        .withArrayIndenter(indent);
  }
}
