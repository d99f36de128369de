package dev.meridian.cli.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads files the user named (manifests, token, CA), failing with one line that says which. */
final class UserFiles {
  private UserFiles() {}

  /**
   * The bytes of {@code file}.
   *
   * @param what how to call the file in a message, such as {@code "token file "}; may be empty
   */
  static byte[] read(String what, Path file) {
    String prefix = "cannot read " + what + file + ": ";
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CliException(prefix + "no such file");
    } catch (AccessDeniedException e) {
      throw new CliException(prefix + "permission denied");
    } catch (IOException e) {
      throw new CliException(prefix + OneLine.cause(e));
    }
  }
}
