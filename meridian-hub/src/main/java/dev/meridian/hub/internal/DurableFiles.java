package dev.meridian.hub.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes the hub's small files (token, keys, certificates, kubeconfig) through a temporary file,
 * fsync and an atomic rename, with their permissions set from the start: a crash never leaves half
 * a key, and a secret is never readable by others, not even briefly.
 */
public final class DurableFiles {
  /** Owner read/write only: tokens, private keys, kubeconfigs. */
  public static final String OWNER_ONLY = "rw-------";

  /** Anyone may read: certificates. */
  public static final String PUBLIC = "rw-r--r--";

  private DurableFiles() {}

  public static void write(Path file, String content, String permissions) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp);
    }
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
