package dev.meridian.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;

/**
 * One object read from a file given with {@code -f}.
 *
 * @param source the file as the user named it, or {@code stdin}
 * @param index position of the object in its file, from 1
 */
public record Manifest(String source, int index, ObjectNode object) {

  /** Where the object came from, for messages: {@code app.yaml: object 2 (Deployment web)}. */
  public String where() {
    String kind = Meta.kind(object);
    String name = Meta.name(object);
    String what = kind.isEmpty() ? "" : " (" + kind + (name.isEmpty() ? "" : " " + name) + ")";
    return OneLine.safe(source + ": object " + index + what);
  }
}
