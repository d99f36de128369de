package dev.meridian.members;

import java.util.Objects;

/**
 * A member call that failed. {@link #getMessage()} is one line; for {@link Reason#REJECTED} it is
 * the member's own message, verbatim, and {@link #code()} its HTTP status.
 */
public final class MemberException extends RuntimeException {

  /** Why the call failed. */
  public enum Reason {
    /** The member's connection settings (kubeconfig) are unusable; nothing was sent. */
    CONFIGURATION,
    /** The member did not answer in time, or refused the connection. Worth retrying later. */
    UNREACHABLE,
    /** The member answered with an error: invalid object, denied, unknown kind, conflict... */
    REJECTED,
    /** The member was closed by the hub. */
    CLOSED
  }

  private final String cluster;
  private final Reason reason;
  private final int code;

  public MemberException(String cluster, Reason reason, int code, String message, Throwable cause) {
    super(message, cause);
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.reason = Objects.requireNonNull(reason, "reason");
    this.code = code;
  }

  /** The member's answer: its HTTP status and message. */
  public static MemberException rejected(String cluster, int code, String message) {
    return new MemberException(cluster, Reason.REJECTED, code, message, null);
  }

  public static MemberException unreachable(String cluster, String message, Throwable cause) {
    return new MemberException(cluster, Reason.UNREACHABLE, 0, message, cause);
  }

  public static MemberException configuration(String cluster, String message) {
    return new MemberException(cluster, Reason.CONFIGURATION, 0, message, null);
  }

  public static MemberException closed(String cluster) {
    return new MemberException(cluster, Reason.CLOSED, 0, "member " + cluster + " is closed", null);
  }

  /** The member cluster's name. */
  public String cluster() {
    return cluster;
  }

  public Reason reason() {
    return reason;
  }

  /** The member's HTTP status for {@link Reason#REJECTED}, otherwise 0. */
  public int code() {
    return code;
  }

  /**
   * True if trying again later may succeed: the member was unreachable, overloaded (429) or failing
   * (5xx). A rejection of the manifest itself is not transient.
   */
  public boolean isTransient() {
    return reason == Reason.UNREACHABLE
        || (reason == Reason.REJECTED && (code == 429 || code >= 500));
  }

  /** True for a 404 answer: the object, its namespace or its kind does not exist there. */
  public boolean isNotFound() {
    return reason == Reason.REJECTED && code == 404;
  }
}
