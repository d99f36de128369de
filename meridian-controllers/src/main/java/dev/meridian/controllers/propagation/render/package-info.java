/**
 * Pure functions that turn a hub template into what is sent to each member cluster, and read back
 * what the members report. No I/O, no clocks (a time is passed in where one is written), no shared
 * state: every hub replica computes the same result from the same input, on any thread.
 *
 * <ul>
 *   <li>{@link dev.meridian.controllers.propagation.render.MemberManifest}: template → manifest for
 *       one member (server-set fields dropped, Meridian's label and binding annotation added, the
 *       cluster's replicas set).
 *   <li>{@link dev.meridian.controllers.propagation.render.Overrides}: applies {@code
 *       OverridePolicy} rules for one cluster.
 *   <li>{@link dev.meridian.controllers.propagation.render.Dependencies}: the ConfigMaps, Secrets,
 *       ServiceAccount and PersistentVolumeClaims a workload needs.
 *   <li>{@link dev.meridian.controllers.propagation.render.Health}, {@link
 *       dev.meridian.controllers.propagation.render.StatusAggregation}: member status → health →
 *       the template's status on the hub.
 *   <li>{@link dev.meridian.controllers.propagation.render.Drift}: where a member's object no
 *       longer holds what Meridian applied.
 * </ul>
 *
 * <h2>Override order</h2>
 *
 * The order is fixed so that the result does not depend on the order the store lists policies in:
 *
 * <ol>
 *   <li>Policies that select the manifest, sorted by {@code metadata.name}.
 *   <li>Within a policy, {@code overrideRules} in the order written; a rule whose {@code
 *       targetCluster} does not cover the cluster is skipped.
 *   <li>Within a rule: {@code imageOverrider}, {@code replicas}, {@code env}, {@code args}, {@code
 *       labels}, {@code annotations}, then {@code plaintext} last, so a JSON patch sees (and can
 *       correct) the result of everything else. Items of one overrider apply in the order written.
 * </ol>
 *
 * A later change wins over an earlier one on the same field. Each item applies entirely or not at
 * all; one that cannot apply (a missing container, a JSON pointer to nothing, a Deployment image
 * that is not an image) is recorded as an error naming the policy, rule and item, and the others
 * still apply. A {@code plaintext} list stops at its first failed operation (so a {@code test}
 * guards the operations after it), keeping the operations before it. No override may change the
 * object's apiVersion, kind, name or namespace, nor Meridian's label and annotation.
 *
 * <p>Containers: {@code imageOverrider} without {@code predicate}, {@code env} and {@code args}
 * without {@code container} act on every container and init container of the pod template ({@code
 * spec} of a Pod, {@code spec.template.spec} of a Deployment, StatefulSet, DaemonSet, ReplicaSet,
 * ReplicationController or Job, {@code spec.jobTemplate.spec.template.spec} of a CronJob). Images
 * are read as {@code [registry/]repository[:tag][@digest]}; Docker Hub's implicit {@code docker.io}
 * and {@code library/} are written out only when the registry changes.
 *
 * <h2>Dependencies</h2>
 *
 * For a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job or CronJob,
 * in the workload's namespace:
 *
 * <ul>
 *   <li>ConfigMaps and Secrets from volumes ({@code configMap}, {@code secret}, {@code projected}
 *       sources), from {@code env[].valueFrom.configMapKeyRef/secretKeyRef} and {@code envFrom} of
 *       containers, init containers and ephemeral containers, and {@code imagePullSecrets};
 *   <li>the ServiceAccount in {@code serviceAccountName}, unless it is {@code default} (every
 *       namespace has that one);
 *   <li>PersistentVolumeClaims in {@code volumes[].persistentVolumeClaim.claimName}. A
 *       StatefulSet's {@code volumeClaimTemplates} are not dependencies: its controller creates
 *       those claims in each member.
 * </ul>
 *
 * A reference marked {@code optional: true} is still listed, marked optional (the pods start
 * without it, so a missing one should not block propagation); an object referenced both ways is
 * required.
 */
package dev.meridian.controllers.propagation.render;
