package dev.meridian.members.kubernetes;

import dev.meridian.members.MemberException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** Turns what fabric8 and the HTTP layer throw into {@link MemberException}s. */
final class KubernetesFailures {
  private KubernetesFailures() {}

  static MemberException translate(String cluster, String server, Throwable t) {
    Throwable e = unwrap(t);
    if (e instanceof MemberException me) {
      return me;
    }
    if (e instanceof KubernetesClientException kce && kce.getCode() > 0) {
      String message =
          kce.getStatus() != null && kce.getStatus().getMessage() != null
              ? kce.getStatus().getMessage()
              : KubernetesMembers.firstLine(kce.getMessage());
      return MemberException.rejected(cluster, kce.getCode(), message);
    }
    Throwable root = rootCause(e);
    if (root instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return MemberException.unreachable(cluster, "interrupted while calling " + server, e);
    }
    return MemberException.unreachable(cluster, describe(server, root), e);
  }

  private static String describe(String server, Throwable root) {
    String what;
    if (root instanceof TimeoutException || root.getClass().getSimpleName().contains("Timeout")) {
      what = "timed out";
    } else if (root instanceof ConnectException) {
      what = "connection refused";
    } else if (root instanceof SSLException) {
      what = "TLS failed";
    } else if (root instanceof IOException) {
      what = "I/O error";
    } else {
      what = "failed";
    }
    String detail = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return "cannot reach "
        + server
        + ": "
        + what
        + " ("
        + KubernetesMembers.firstLine(detail)
        + ")";
  }

  private static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private static Throwable rootCause(Throwable t) {
    Throwable e = t;
    for (int i = 0; i < 20 && e.getCause() != null && e.getCause() != e; i++) {
      e = e.getCause();
    }
    return e;
  }
}
