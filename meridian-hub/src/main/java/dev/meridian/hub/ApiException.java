package dev.meridian.hub;

import dev.meridian.api.FieldError;
import java.util.List;

/**
 * A request the hub refuses, rendered as a Kubernetes {@code Status} with the HTTP code, reason
 * and, for invalid objects, one cause per field.
 */
public final class ApiException extends RuntimeException {
  private final int code;
  private final String reason;
  private final transient List<FieldError> causes;
  private final String kind;
  private final String name;

  public ApiException(int code, String reason, String message) {
    this(code, reason, message, List.of(), null, null);
  }

  public ApiException(
      int code, String reason, String message, List<FieldError> causes, String kind, String name) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.causes = List.copyOf(causes);
    this.kind = kind;
    this.name = name;
  }

  public int code() {
    return code;
  }

  public String reason() {
    return reason;
  }

  public List<FieldError> causes() {
    return causes;
  }

  public String kind() {
    return kind;
  }

  public String name() {
    return name;
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, "BadRequest", message);
  }

  public static ApiException notFound(String resource, String name) {
    return new ApiException(
        404, "NotFound", resource + " \"" + name + "\" not found", List.of(), resource, name);
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, "NotFound", message);
  }

  public static ApiException alreadyExists(String resource, String name) {
    return new ApiException(
        409,
        "AlreadyExists",
        resource + " \"" + name + "\" already exists",
        List.of(),
        resource,
        name);
  }

  public static ApiException conflict(String resource, String name) {
    return new ApiException(
        409,
        "Conflict",
        "Operation cannot be fulfilled on "
            + resource
            + " \""
            + name
            + "\": the object has been modified; please apply your changes to the latest version"
            + " and try again",
        List.of(),
        resource,
        name);
  }

  /** 409 of server-side apply: fields other managers own, one cause each. */
  public static ApiException applyConflict(String message, List<FieldError> causes) {
    return new ApiException(409, "Conflict", message, causes, "", "");
  }

  /** 409 with the caller's own words: a precondition (a uid, say) that does not hold. */
  public static ApiException conflictMessage(String message) {
    return new ApiException(409, "Conflict", message);
  }

  public static ApiException invalid(String kind, String name, List<FieldError> causes) {
    StringBuilder sb = new StringBuilder(kind).append(" \"").append(name).append("\" is invalid: ");
    for (int i = 0; i < causes.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(causes.get(i));
    }
    return new ApiException(422, "Invalid", sb.toString(), causes, kind, name);
  }

  public static ApiException forbidden(String message) {
    return new ApiException(403, "Forbidden", message);
  }

  public static ApiException methodNotAllowed(String message) {
    return new ApiException(405, "MethodNotAllowed", message);
  }

  public static ApiException gone(String message) {
    return new ApiException(410, "Expired", message);
  }

  public static ApiException unsupportedMediaType(String message) {
    return new ApiException(415, "UnsupportedMediaType", message);
  }
}
