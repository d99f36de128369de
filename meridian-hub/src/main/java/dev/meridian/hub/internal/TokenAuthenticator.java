package dev.meridian.hub.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Checks bearer tokens against the SHA-256 hashes of the tokens the hub issued; the tokens
 * themselves are never kept in memory longer than start-up, nor logged. This runs on every request,
 * so it compares raw digests and reuses one {@link MessageDigest} per thread.
 */
public final class TokenAuthenticator {
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException(e);
            }
          });

  private final List<byte[]> hashes;

  public TokenAuthenticator(Set<String> tokenHashes) {
    this.hashes = tokenHashes.stream().map(h -> HexFormat.of().parseHex(h)).toList();
  }

  /** The hex SHA-256 of a token, as the hub keeps it. */
  public static String hash(String token) {
    return HexFormat.of().formatHex(digest(token));
  }

  private static byte[] digest(String token) {
    return SHA256.get().digest(token.getBytes(StandardCharsets.UTF_8));
  }

  /** Whether an {@code Authorization} header value carries a valid token. */
  public boolean authenticate(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] presented = digest(authorization.substring(7).trim());
    boolean ok = false;
    for (byte[] h : hashes) {
      // constant-time comparison so response timing tells nothing about the hash
      ok |= MessageDigest.isEqual(h, presented);
    }
    return ok;
  }
}
