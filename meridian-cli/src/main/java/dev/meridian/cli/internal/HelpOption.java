package dev.meridian.cli.internal;

import picocli.CommandLine.Option;

/** {@code -h/--help} for subcommands (the root has picocli's standard help and version). */
public final class HelpOption {
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;
}
