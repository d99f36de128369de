package dev.meridian.store;

/** A guard on a write, evaluated atomically with it. */
public sealed interface Precondition {

  /** Write unconditionally. */
  Precondition NONE = new None();

  /** Write only if the key does not exist (create). */
  Precondition ABSENT = new Absent();

  /** Write only if the key exists and was last modified at {@code revision}. */
  static Precondition modRevision(long revision) {
    return new ModRevision(revision);
  }

  /** Write only if the key exists. */
  Precondition PRESENT = new Present();

  record None() implements Precondition {}

  record Absent() implements Precondition {}

  record Present() implements Precondition {}

  record ModRevision(long revision) implements Precondition {}
}
