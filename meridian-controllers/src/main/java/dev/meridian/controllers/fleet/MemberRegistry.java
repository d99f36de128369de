package dev.meridian.controllers.fleet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.members.MemberCluster;
import dev.meridian.members.MemberException;

/** The connections to member clusters, kept in line with their {@code Cluster} objects. */
public interface MemberRegistry extends AutoCloseable {
  /**
   * The member for a {@code Cluster}, connected according to its {@code spec.connection};
   * reconnected when that changes.
   *
   * @throws MemberException if the connection cannot be set up (bad or missing credentials)
   */
  MemberCluster member(ObjectNode cluster);

  /**
   * The member of a cluster as connected now, without connecting, reconnecting or changing it (as
   * {@link #member} does for a simulated cluster's failure injection); null if none is connected.
   * For readers that follow the connections the fleet's health loop keeps.
   */
  MemberCluster connected(String clusterName);

  /** Closes and drops the member of a cluster that is gone. */
  void forget(String clusterName);

  @Override
  void close();
}
