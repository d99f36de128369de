package dev.meridian.api;

/** A document that is not well-formed YAML or JSON, or breaks the parser's safety limits. */
public final class DecodeException extends RuntimeException {
  public DecodeException(String message, Throwable cause) {
    super(message, cause);
  }

  public DecodeException(String message) {
    super(message);
  }
}
