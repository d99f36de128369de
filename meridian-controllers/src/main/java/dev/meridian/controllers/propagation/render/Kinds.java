package dev.meridian.controllers.propagation.render;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.api.Meta;

/**
 * Names an object's kind together with its API group ({@code Deployment.apps}, {@code Job.batch},
 * {@code Pod}), the way {@code kubectl get deployment.apps} does.
 *
 * <p>Matching on the group as well as the kind keeps a custom resource that happens to be called
 * {@code Job} or {@code Deployment} (Volcano's {@code batch.volcano.sh/Job}, for one) from being
 * read as the built-in kind it is not.
 */
final class Kinds {
  static final String POD = "Pod";
  static final String SERVICE = "Service";
  static final String PVC = "PersistentVolumeClaim";
  static final String REPLICATION_CONTROLLER = "ReplicationController";
  static final String DEPLOYMENT = "Deployment.apps";
  static final String STATEFUL_SET = "StatefulSet.apps";
  static final String DAEMON_SET = "DaemonSet.apps";
  static final String REPLICA_SET = "ReplicaSet.apps";
  static final String JOB = "Job.batch";
  static final String CRON_JOB = "CronJob.batch";

  private Kinds() {}

  /** {@code Kind.group}, or just {@code Kind} for the core group. */
  static String of(JsonNode obj) {
    String apiVersion = Meta.apiVersion(obj);
    int slash = apiVersion.indexOf('/');
    String kind = Meta.kind(obj);
    return slash < 0 ? kind : kind + "." + apiVersion.substring(0, slash);
  }
}
