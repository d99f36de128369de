package dev.meridian.hub.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;

/**
 * Checks bearer tokens against the hashes of the tokens the hub issued; the tokens themselves are
 * never kept in memory longer than start-up, nor logged.
 */
public final class TokenAuthenticator {
  private final Set<String> hashes;

  public TokenAuthenticator(Set<String> tokenHashes) {
    this.hashes = Set.copyOf(tokenHashes);
  }

  public static String hash(String token) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder();
      for (byte b : d) {
        sb.append(String.format("%02x", b));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether an {@code Authorization} header value carries a valid token. */
  public boolean authenticate(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    String presented = hash(authorization.substring(7).trim());
    boolean ok = false;
    for (String h : hashes) {
      // constant-time comparison so response timing tells nothing about the hash
      ok |=
          MessageDigest.isEqual(
              h.getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.US_ASCII));
    }
    return ok;
  }
}
