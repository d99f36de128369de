package dev.meridian.controllers;

/** The object is gone. */
public final class ObjectNotFoundException extends RuntimeException {
  public ObjectNotFoundException(String message) {
    super(message);
  }
}
