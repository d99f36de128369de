package dev.meridian.controllers.propagation.render;

/**
 * An override that cannot be applied to this manifest, with a message for the policy's author.
 * Caught per overrider by {@link Overrides}, which records it and goes on.
 */
final class OverrideException extends RuntimeException {
  OverrideException(String message) {
    super(message, null, false, false);
  }
}
