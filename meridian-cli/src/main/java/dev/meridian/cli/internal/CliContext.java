package dev.meridian.cli.internal;

import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;

/**
 * What a command may touch of the outside world: its output streams, environment, standard input
 * and clock. Passed explicitly so that tests run commands in-process and see exactly what a user
 * would.
 */
public record CliContext(
    PrintWriter out, PrintWriter err, Map<String, String> env, InputStream stdin, Clock clock) {

  public CliContext {
    env = Map.copyOf(env);
  }

  /** The value of an environment variable, or {@code null} when unset or blank. */
  public String env(String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v;
  }
}
