package dev.meridian.cli;

import java.util.Arrays;
import java.util.List;

/** What one in-process run of {@code meridian} produced. */
public record CliResult(int exitCode, String out, String err) {
  public List<String> errLines() {
    return err.isEmpty() ? List.of() : Arrays.asList(err.split("\n"));
  }

  public List<String> outLines() {
    return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
  }
}
