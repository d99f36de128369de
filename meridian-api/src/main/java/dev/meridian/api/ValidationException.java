package dev.meridian.api;

import java.util.List;
import java.util.stream.Collectors;

/** An object is invalid; {@link #errors()} lists every problem found, not just the first. */
public final class ValidationException extends RuntimeException {
  private final transient List<FieldError> errors;

  public ValidationException(String subject, List<FieldError> errors) {
    super(
        subject
            + " is invalid: "
            + errors.stream().map(FieldError::toString).collect(Collectors.joining(", ")));
    this.errors = List.copyOf(errors);
  }

  public List<FieldError> errors() {
    return errors;
  }
}
