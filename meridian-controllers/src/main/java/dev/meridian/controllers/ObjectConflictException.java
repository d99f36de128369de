package dev.meridian.controllers;

/** A write lost a race (stale resourceVersion) or the object already exists. */
public final class ObjectConflictException extends RuntimeException {
  public ObjectConflictException(String message) {
    super(message);
  }
}
