package dev.meridian.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One line of a watch stream.
 *
 * @param type {@code ADDED}, {@code MODIFIED}, {@code DELETED} or {@code ERROR} (then the object is
 *     a {@code Status})
 */
public record WatchEvent(String type, ObjectNode object) {
  public boolean isError() {
    return "ERROR".equals(type);
  }
}
