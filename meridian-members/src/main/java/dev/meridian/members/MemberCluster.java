package dev.meridian.members;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * A member cluster of the fleet, as controllers see it: the only way they touch a cluster.
 *
 * <p>Every call may go over the network and is bounded by the member's timeouts; a failure to reach
 * the member, or the member's refusal, is a {@link MemberException}. Calls on one member never wait
 * on another member: an unreachable cluster costs its callers a timeout and nothing else.
 * Implementations are thread-safe.
 */
public interface MemberCluster extends AutoCloseable {

  /** The field manager under which Meridian applies, and so owns, the fields it sets. */
  String FIELD_MANAGER = "meridian";

  /** The cluster's name in the fleet. */
  String name();

  /**
   * Server-side applies {@code manifest} as field manager {@value #FIELD_MANAGER}, forcing
   * conflicts with other managers (Meridian owns the fields it sets). A namespaced object without a
   * namespace goes to the member's default namespace.
   *
   * @return the live object after the apply
   * @throws MemberException with the member's HTTP code and message when it rejects the manifest
   *     (invalid, denied by admission, unknown kind, missing namespace)
   */
  ApplyResult apply(ObjectNode manifest);

  /**
   * Deletes an object (dependents in the background).
   *
   * @return true if it existed, false if there was nothing to delete
   */
  boolean delete(ResourceRef ref);

  /** The live object, or empty if the member has none by that name. */
  Optional<ObjectNode> get(ResourceRef ref);

  /**
   * Watches a kind, informer-style: every existing object first arrives as {@link
   * MemberEvent.Type#ADDED}, then each change. The watch reconnects (and re-lists) on its own after
   * errors and outages until {@link MemberWatch#close()}. Returns without waiting for the member;
   * problems are reported to {@link MemberEventListener#onError}.
   *
   * <p>Events for one watch arrive in order on a thread shared by many watches: listeners must
   * return quickly (hand work to a queue) and must not call back into the member synchronously.
   */
  MemberWatch watch(WatchTarget target, MemberEventListener listener);

  /**
   * Checks the member's health and capacity: readiness, version, distribution, allocatable, node
   * count and topology, and how long the API took to answer.
   *
   * @throws MemberException if the member cannot be reached
   */
  ProbeResult probe();

  /** Stops the member's watches and releases its connections. Later calls fail. */
  @Override
  void close();
}
