package dev.meridian.api;

/**
 * One problem with an object, at a field path such as {@code spec.location.country} or {@code
 * metadata.labels[tier]}.
 */
public record FieldError(String field, Reason reason, String message) {

  /** The same causes as Kubernetes' {@code field.ErrorType}. */
  public enum Reason {
    FieldValueRequired,
    FieldValueInvalid,
    FieldValueNotSupported,
    FieldValueDuplicate,
    FieldValueTooLong,
    FieldValueForbidden,
    /** Server-side apply: the field is another field manager's ({@code metav1.CauseType}). */
    FieldManagerConflict
  }

  public static FieldError required(String field) {
    return new FieldError(field, Reason.FieldValueRequired, "Required value");
  }

  public static FieldError invalid(String field, String message) {
    return new FieldError(field, Reason.FieldValueInvalid, message);
  }

  public static FieldError forbidden(String field, String message) {
    return new FieldError(field, Reason.FieldValueForbidden, message);
  }

  public static FieldError notSupported(String field, String message) {
    return new FieldError(field, Reason.FieldValueNotSupported, message);
  }

  @Override
  public String toString() {
    return field + ": " + message;
  }
}
