package dev.meridian.gateway;

import java.util.List;

/** Read-only view of request headers; names are matched case-insensitively. */
public interface Headers {

  /** The first value of the header, or null. */
  String get(String name);

  /** Every value of the header in order; empty if absent. */
  List<String> getAll(String name);
}
