package dev.meridian.app;

import dev.meridian.cli.internal.CliException;

/** A {@code HOST:PORT} listen address. */
record Listen(String host, int port) {
  /** Parses the value of {@code flag}; a bad one is a usage error naming the flag. */
  static Listen parse(String flag, String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw CliException.usage(flag + " must be HOST:PORT, got \"" + text + "\"");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      int port = Integer.parseInt(text.substring(colon + 1));
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return new Listen(host, port);
    } catch (NumberFormatException e) { // NOPMD: rethrown as a usage error
      throw CliException.usage(
          flag + ": \"" + text.substring(colon + 1) + "\" is not a port number");
    }
  }
}
