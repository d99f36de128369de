package dev.meridian.cli.internal;

/**
 * The hub answered with an error: its HTTP code, and the {@code reason} and {@code message} of the
 * Kubernetes {@code Status} it sent (or a description of the response when it sent none).
 */
public final class HubException extends CliException {
  private final int code;
  private final String reason;

  public HubException(int code, String reason, String message) {
    super(message);
    this.code = code;
    this.reason = reason;
  }

  public int code() {
    return code;
  }

  /** {@code NotFound}, {@code Conflict}, ...; empty when the hub sent no Status. */
  public String reason() {
    return reason;
  }

  public boolean isNotFound() {
    return code == 404;
  }

  public boolean isConflict() {
    return code == 409 && !"AlreadyExists".equals(reason);
  }

  public boolean isAuthFailure() {
    return code == 401 || code == 403;
  }
}
