package dev.meridian.members;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a member call may take.
 *
 * @param connect to open a connection to the member
 * @param request for one request, from sending it to the end of the answer
 */
public record MemberTimeouts(Duration connect, Duration request) {

  public static final MemberTimeouts DEFAULT =
      new MemberTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10));

  public MemberTimeouts {
    Objects.requireNonNull(connect, "connect");
    Objects.requireNonNull(request, "request");
    if (connect.isNegative() || connect.isZero() || request.isNegative() || request.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
  }
}
