package dev.meridian.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Converts between stored JSON trees and Meridian's typed records. */
public final class Typed {
  private static final ObjectMapper MAPPER =
      ResourceCodec.JSON.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private Typed() {}

  /** Reads a validated object as its record type. */
  public static <T> T read(ObjectNode obj, Class<T> type) {
    try {
      return MAPPER.treeToValue(obj, type);
    } catch (JsonProcessingException e) {
      throw new DecodeException(
          "cannot read " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  public static ObjectNode write(Object record) {
    return MAPPER.valueToTree(record);
  }
}
