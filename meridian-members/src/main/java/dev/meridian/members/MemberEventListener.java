package dev.meridian.members;

/** Receives a watch's events, in order, one at a time. */
@FunctionalInterface
public interface MemberEventListener {

  void onEvent(MemberEvent event);

  /**
   * The watch could not reach the member or was refused (for example, an unknown kind). It keeps
   * retrying unless closed; this is for reporting only.
   */
  default void onError(MemberException error) {}
}
