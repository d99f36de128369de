package dev.meridian.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version this CLI was built as, from the filtered {@code version.properties}. */
public final class ClientVersion {
  public static final String VERSION = load();

  private ClientVersion() {}

  private static String load() {
    try (InputStream in =
        ClientVersion.class.getResourceAsStream("/dev/meridian/cli/version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "unknown");
      return v.startsWith("${") ? "unknown" : v;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
