package dev.meridian.hub;

import dev.meridian.api.FieldError;
import java.util.List;

/**
 * What a {@code DeleteOptions} body (or the query) asks of a delete.
 *
 * @param resourceVersion precondition: the resourceVersion the caller expects, or empty
 * @param uid precondition: the uid the caller expects, or empty
 * @param propagationPolicy {@code Background} (the default, also when empty), {@code Foreground}
 *     (the template stays until its copies are gone from every member) or {@code Orphan} (the
 *     members' copies stay)
 * @param dryRun check everything, change nothing
 */
public record DeleteOptions(
    String resourceVersion, String uid, String propagationPolicy, boolean dryRun) {
  public DeleteOptions {
    if (!List.of("", "Background", "Foreground", "Orphan").contains(propagationPolicy)) {
      throw ApiException.invalid(
          "DeleteOptions",
          "",
          List.of(
              FieldError.notSupported(
                  "propagationPolicy",
                  "Unsupported value: \""
                      + propagationPolicy
                      + "\": supported values: \"Foreground\", \"Background\", \"Orphan\"")));
    }
  }
}
