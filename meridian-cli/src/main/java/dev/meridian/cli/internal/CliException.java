package dev.meridian.cli.internal;

/**
 * A failure to report to the user as one line, {@code error: MESSAGE}, with an exit code: 1 for
 * failures, 2 for usage errors. Never shown with a stack trace.
 */
public class CliException extends RuntimeException {
  public static final int FAILURE = 1;
  public static final int USAGE = 2;

  private final int exitCode;

  public CliException(String message) {
    this(message, FAILURE);
  }

  public CliException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  public CliException(String message, Throwable cause) {
    super(message, cause);
    this.exitCode = FAILURE;
  }

  public static CliException usage(String message) {
    return new CliException(message, USAGE);
  }

  public int exitCode() {
    return exitCode;
  }
}
