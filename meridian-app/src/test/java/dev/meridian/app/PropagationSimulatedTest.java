package dev.meridian.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Conditions;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import dev.meridian.members.MemberCluster;
import dev.meridian.members.ResourceRef;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Propagation decisions that react to changes, on simulated clusters (fast, in-process). */
class PropagationSimulatedTest extends SampleFleetTest {
  JsonNode awaitBinding(String name, String what, Predicate<JsonNode> ok) throws Exception {
    return fleet.await("binding " + name + " " + what, ok, "resourcebinding", name, "-n", "shop");
  }

  static String placement(JsonNode binding) {
    StringBuilder sb = new StringBuilder();
    binding
        .path("spec")
        .path("clusters")
        .forEach(
            c ->
                sb.append(c.path("name").asText())
                    .append('=')
                    .append(c.path("replicas").asText("-"))
                    .append(' '));
    return sb.toString().trim();
  }

  /** Replicates the Deployment {@code api} of {@code shop} to every cluster. */
  static final String API_EVERYWHERE =
      """
      apiVersion: policy.meridian.dev/v1alpha1
      kind: PropagationPolicy
      metadata: {name: api, namespace: shop}
      spec:
        resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: api}]
        placement: {replicaScheduling: {type: Duplicated}}
      """;

  static String deployment(String labels) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api, namespace: shop, labels: {app: api%s}}
        spec:
          replicas: 6
          selector: {matchLabels: {app: api}}
          template:
            metadata: {labels: {app: api}}
            spec: {containers: [{name: api, image: nginx:1.27, resources: {requests: {cpu: 100m}}}]}
        """
        .formatted(labels);
  }

  @Test
  void aLabelChangeOnTheTemplateBringsItUnderAResidencyGuardrail() throws Exception {
    // Given: replicated everywhere
    apply(API_EVERYWHERE);
    apply(deployment(""));
    awaitBinding(
        "api-deployment", "on all three", b -> b.path("spec").path("clusters").size() == 3);
    // When: the template is classified as EU personal data (a label change only)
    apply(deployment(", data.meridian.dev/classification: eu-personal"));
    // Then: the GDPR guardrail of the sample fleet keeps it in the EU (eu-west-1 is in DE)
    JsonNode b =
        awaitBinding("api-deployment", "only in the EU", x -> placement(x).equals("eu-west-1=6"));
    assertThat(b.path("spec").path("excluded").toString())
        .contains("residency")
        .contains("us-east-1")
        .contains("ap-south-1");
  }

  @Test
  void rebalanceDividesAgainFromScratch() throws Exception {
    // Given: 6 replicas split 1:1 over the prod ring
    String policy =
        """
        apiVersion: policy.meridian.dev/v1alpha1
        kind: PropagationPolicy
        metadata: {name: api, namespace: shop}
        spec:
          resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: api}]
          placement:
            clusterAffinity: {labelSelector: {matchLabels: {ring: prod}}}
            replicaScheduling:
              type: Divided
              division: Weighted
              weights: {static: [{clusters: {names: [eu-west-1]}, weight: %d}, {clusters: {names: [us-east-1]}, weight: 1}]}
        """;
    apply(policy.formatted(1));
    apply(deployment(""));
    awaitBinding(
        "api-deployment", "split 3/3", x -> placement(x).equals("eu-west-1=3 us-east-1=3"));
    // When: the weights change, the current placement is kept (no needless moves): a pass that
    // read the new weights (it scheduled the template's generation 2, changed after the policy)
    // leaves the split as it was...
    apply(policy.formatted(2));
    apply(deployment("").replace("nginx:1.27", "nginx:1.28"));
    JsonNode kept =
        awaitBinding("api-deployment", "scheduled at generation 2", x -> observed(x) == 2);
    assertThat(placement(kept)).isEqualTo("eu-west-1=3 us-east-1=3");
    // ...until a rebalance is asked for
    Main.Result r = run("rebalance", "deploy", "api", "-n", "shop");
    // Then
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("deployment.apps/api rebalance requested");
    awaitBinding(
        "api-deployment", "split 4/2", x -> placement(x).equals("eu-west-1=4 us-east-1=2"));
  }

  @Test
  void driftIsRevertedAsSoonAsTheMembersWatchShowsItNotOnlyAtResync() throws Exception {
    // Given: replicated to the canary cluster; the hub resyncs every 30 s (the default)
    apply(
        """
        apiVersion: policy.meridian.dev/v1alpha1
        kind: PropagationPolicy
        metadata: {name: api, namespace: shop}
        spec:
          resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: api}]
          placement:
            clusterAffinity: {names: [ap-south-1]}
            replicaScheduling: {type: Duplicated}
        """);
    apply(deployment(""));
    MemberCluster member = fleet.hub().members().connected("ap-south-1");
    ResourceRef api = new ResourceRef("apps/v1", "Deployment", "shop", "api");
    awaitMember(member, api, "applied", d -> d.path("spec").path("replicas").asInt() == 6);
    // When: someone scales it in the member directly
    ObjectNode changed = member.get(api).orElseThrow();
    ((ObjectNode) changed.get("spec")).put("replicas", 9);
    Meta.metadata(changed).remove(List.of("resourceVersion", "uid", "generation"));
    changed.remove("status");
    member.apply(changed);
    long start = System.nanoTime();
    // Then: back well within the resync period, with an event saying what was reverted
    awaitMember(member, api, "reverted", d -> d.path("spec").path("replicas").asInt() == 6);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    Main.Result events = run("get", "events", "-n", "shop", "-o", "json");
    assertThat(events.out()).contains("DriftCorrected").contains("spec.replicas");
  }

  @Test
  void aClusterThatComesBackRunsItsWorkloadAgainWithoutWaitingForAResync() throws Exception {
    // Given: replicated to all three clusters (the template resync is 5 minutes away), an
    // unhealthy cluster evicted at once
    apply(
        API_EVERYWHERE.replace(
            "replicaScheduling: {type: Duplicated}}",
            "replicaScheduling: {type: Duplicated}}\n  failover: {tolerationSeconds: 0}"));
    apply(deployment(""));
    awaitBinding("api-deployment", "fully applied on three", x -> fullyApplied(x));
    // When: ap-south-1 fails long enough to be evicted; its Work cannot be cleaned up there
    Main.Result failed = run("sim", "fail", "ap-south-1");
    assertThat(failed.code()).as(failed.err()).isZero();
    awaitBinding(
        "api-deployment",
        "without ap-south-1",
        x -> !placement(x).contains("ap-south-1") && !placement(x).isEmpty());
    JsonNode old =
        fleet.await(
            "the Work of ap-south-1 being deleted",
            w -> w.path("metadata").has("deletionTimestamp"),
            "work",
            "api-deployment-ap-south-1",
            "-n",
            "shop");
    Thread.sleep(3000); // the cleanup's retries back off meanwhile
    // and comes back
    Main.Result recovered = run("sim", "recover", "ap-south-1");
    assertThat(recovered.code()).as(recovered.err()).isZero();
    // Then: a new Work for ap-south-1 (the old one cleaned up first), applied, and the workload
    // runs there again
    JsonNode fresh =
        fleet.await(
            "a new Work for ap-south-1, applied",
            w ->
                !w.path("metadata").has("deletionTimestamp")
                    && !w.path("metadata")
                        .path("uid")
                        .asText()
                        .equals(old.path("metadata").path("uid").asText())
                    && Conditions.isTrue(w, "Applied"),
            "work",
            "api-deployment-ap-south-1",
            "-n",
            "shop");
    assertThat(fresh.path("spec").path("cluster").asText()).isEqualTo("ap-south-1");
    MemberCluster member = fleet.hub().members().connected("ap-south-1");
    ResourceRef api = new ResourceRef("apps/v1", "Deployment", "shop", "api");
    awaitMember(member, api, "running again", d -> d.path("spec").path("replicas").asInt() == 6);
    awaitBinding(
        "api-deployment",
        "fully applied on three again",
        x -> fullyApplied(x) && placement(x).contains("ap-south-1"));
  }

  @Test
  void anUnreachableClusterKeepsItsPlacementForTheFailoverToleration() throws Exception {
    // Given: replicated everywhere, unreachable clusters tolerated for 5 s (grace here is 2 s)
    apply(
        API_EVERYWHERE.replace(
            "replicaScheduling: {type: Duplicated}}",
            "replicaScheduling: {type: Duplicated}}\n  failover: {tolerationSeconds: 5}"));
    apply(deployment(""));
    awaitBinding("api-deployment", "fully applied on three", x -> fullyApplied(x));
    // When: ap-south-1 stops answering
    long failedAt = System.nanoTime();
    Main.Result failed = run("sim", "fail", "ap-south-1");
    assertThat(failed.code()).as(failed.err()).isZero();
    fleet.await(
        "ap-south-1 tainted unreachable",
        c -> c.path("spec").path("taints").toString().contains("cluster.meridian.dev/unreachable"),
        "cluster",
        "ap-south-1");
    // Then: it is still in the placement while the toleration lasts...
    JsonNode during =
        awaitBinding(
            "api-deployment",
            "keeping ap-south-1 for the toleration",
            x -> x.path("spec").path("warnings").toString().contains("keeps its placement until"));
    assertThat(placement(during)).contains("ap-south-1");
    // and describe says until when
    Main.Result described = run("describe", "rb", "api-deployment", "-n", "shop");
    assertThat(described.out()).contains("ap-south-1 keeps its placement until");
    // ...and leaves it when the taint is 5 s old, not before
    awaitBinding("api-deployment", "without ap-south-1", x -> !placement(x).contains("ap-south-1"));
    long evictedAfter = (System.nanoTime() - failedAt) / 1_000_000;
    assertThat(evictedAfter).isBetween(5_000L, 15_000L);
    JsonNode after = awaitBinding("api-deployment", "read", x -> true);
    assertThat(after.path("spec").path("excluded").toString()).contains("tolerated for 5s since");
  }

  static void awaitMember(
      MemberCluster member, ResourceRef ref, String what, Predicate<JsonNode> ok) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    java.util.Optional<ObjectNode> last = java.util.Optional.empty();
    while (System.nanoTime() < deadline) {
      last = member.get(ref);
      if (last.isPresent() && ok.test(last.get())) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(ref + " on " + member.name() + " never " + what + "; last: " + last);
  }

  @Test
  void aTemplateThatDidNotFitIsPlacedWhenRoomFreesUp() throws Exception {
    // Given: a hog taking 60 of eu-west-1's 64 cpus
    apply(
        """
        apiVersion: policy.meridian.dev/v1alpha1
        kind: PropagationPolicy
        metadata: {name: hog, namespace: shop}
        spec:
          resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: hog}]
          placement: {clusterAffinity: {names: [eu-west-1]}}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: hog, namespace: shop, labels: {app: hog}}
        spec:
          replicas: 1
          selector: {matchLabels: {app: hog}}
          template:
            metadata: {labels: {app: hog}}
            spec: {containers: [{name: hog, image: nginx:1.27, resources: {requests: {cpu: "60"}}}]}
        """);
    awaitAllocatableCpu("eu-west-1", "4");
    // When: EU personal data (the guardrail allows eu-west-1 only) wants two replicas of 4 cpus
    apply(
        """
        apiVersion: policy.meridian.dev/v1alpha1
        kind: PropagationPolicy
        metadata: {name: crm, namespace: shop}
        spec:
          resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: crm}]
          placement: {replicaScheduling: {type: Divided, division: Aggregated}}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: crm
          namespace: shop
          labels: {app: crm, data.meridian.dev/classification: eu-personal}
        spec:
          replicas: 2
          selector: {matchLabels: {app: crm}}
          template:
            metadata: {labels: {app: crm}}
            spec: {containers: [{name: crm, image: nginx:1.27, resources: {requests: {cpu: "4"}}}]}
        """);
    // Then: it waits, placed nowhere (the other clusters have room, but are outside the EU)
    JsonNode waiting =
        awaitBinding("crm-deployment", "unschedulable", x -> x.path("spec").has("unschedulable"));
    assertThat(placement(waiting)).isEmpty();
    // and its status does not claim it is applied
    awaitBinding(
        "crm-deployment",
        "reported as placed nowhere",
        x -> x.path("status").path("conditions").toString().contains("\"NotScheduled\""));
    // When: the hog goes, which changes only eu-west-1's status (its allocatable)
    Main.Result deleted = run("delete", "deploy", "hog", "-n", "shop");
    assertThat(deleted.code()).as(deleted.err()).isZero();
    awaitAllocatableCpu("eu-west-1", "64");
    // Then: crm is scheduled again, on eu-west-1 only
    JsonNode placed =
        awaitBinding("crm-deployment", "placed", x -> placement(x).equals("eu-west-1=2"));
    assertThat(placed.path("spec").has("unschedulable")).isFalse();
  }

  void awaitAllocatableCpu(String cluster, String cpu) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    String last = null;
    while (System.nanoTime() < deadline) {
      Main.Result r = run("get", "cluster", cluster, "-o", "json");
      last =
          ResourceCodec.JSON
              .readTree(r.out())
              .path("status")
              .path("allocatable")
              .path("cpu")
              .asText();
      if (last.equals(cpu)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(cluster + " never had allocatable cpu " + cpu + "; last: " + last);
  }

  @Test
  void theBindingSaysWhichTemplateGenerationItsStatusDescribes() throws Exception {
    // Given: applied everywhere
    apply(API_EVERYWHERE);
    apply(deployment(""));
    awaitBinding("api-deployment", "fully applied", x -> fullyApplied(x) && observed(x) == 1);
    // When: the template's spec changes (generation 2)
    apply(deployment("").replace("nginx:1.27", "nginx:1.28"));
    // Then: the binding comes to describe generation 2, applied in every cluster
    JsonNode b =
        awaitBinding(
            "api-deployment",
            "fully applied at generation 2",
            x -> fullyApplied(x) && observed(x) == 2);
    assertThat(b.path("status").path("aggregatedStatus").size()).isEqualTo(3);
    // and the template says it observed generation 2 (what kubectl rollout status waits for)
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    JsonNode tpl = null;
    while (System.nanoTime() < deadline) {
      Main.Result r = run("get", "deploy", "api", "-n", "shop", "-o", "json");
      tpl = ResourceCodec.JSON.readTree(r.out());
      if (tpl.path("status").path("observedGeneration").asLong() == 2) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(tpl.path("status").path("observedGeneration").asLong())
        .as("the template's observedGeneration")
        .isEqualTo(2);
  }

  @Test
  void nothingIsWrittenAgainWhileNothingChanges() throws Exception {
    // Given: a hub that looks at every Work again every 200 ms, and a template applied everywhere
    fleet.restart(o -> o.withResync(Duration.ofMillis(200)));
    apply(API_EVERYWHERE);
    apply(deployment(""));
    awaitBinding("api-deployment", "fully applied", PropagationSimulatedTest::fullyApplied);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (readyReplicas() != 18) {
      assertThat(System.nanoTime()).as("all 18 replicas ready").isLessThan(deadline);
      Thread.sleep(100);
    }
    Thread.sleep(500); // the last reports aggregated
    String before = versions();
    // When: many resync periods pass
    Thread.sleep(2000);
    // Then: the Works, the binding and the template were not written again (resyncs that find
    // everything as it should be cost no write)
    assertThat(versions()).isEqualTo(before);
    // and get shows where it is and whether it is applied there
    assertThat(run("get", "rb", "-n", "shop").out())
        .containsPattern("api-deployment\\s+True\\s+True\\s+3\\s");
    assertThat(run("get", "rb", "-n", "shop", "-o", "wide").out())
        .contains("ap-south-1=6,eu-west-1=6,us-east-1=6");
    assertThat(run("get", "work", "-n", "shop").out())
        .containsPattern("api-deployment-eu-west-1\\s+eu-west-1\\s+True\\s");
    // and their conditions say since when they hold (which must not make each pass a new status)
    for (String kind : List.of("deploy", "resourcebinding", "work")) {
      Main.Result r = run("get", kind, "-n", "shop", "-o", "json");
      for (JsonNode o : ResourceCodec.JSON.readTree(r.out()).path("items")) {
        assertThat(o.path("status").path("conditions")).as(kind).isNotEmpty();
        for (JsonNode c : o.path("status").path("conditions")) {
          assertThat(c.path("lastTransitionTime").asText())
              .as(kind + " " + c.path("type").asText())
              .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        }
      }
    }
  }

  int readyReplicas() throws Exception {
    Main.Result r = run("get", "deploy", "api", "-n", "shop", "-o", "json");
    return ResourceCodec.JSON.readTree(r.out()).path("status").path("readyReplicas").asInt();
  }

  /** The resourceVersions of the template, its binding and its Works. */
  String versions() throws Exception {
    StringBuilder sb = new StringBuilder();
    for (String kind : List.of("deploy", "resourcebinding", "work")) {
      Main.Result r = run("get", kind, "-n", "shop", "-o", "json");
      assertThat(r.code()).as(r.err()).isZero();
      for (JsonNode o : ResourceCodec.JSON.readTree(r.out()).path("items")) {
        sb.append(kind)
            .append('/')
            .append(o.path("metadata").path("name").asText())
            .append('@')
            .append(o.path("metadata").path("resourceVersion").asText())
            .append(' ');
      }
    }
    return sb.toString();
  }

  static long observed(JsonNode binding) {
    return binding.path("status").path("observedGeneration").asLong(-1);
  }

  static boolean fullyApplied(JsonNode binding) {
    for (JsonNode c : binding.path("status").path("conditions")) {
      if (c.path("type").asText().equals("FullyApplied")) {
        return c.path("status").asText().equals("True");
      }
    }
    return false;
  }

  @Test
  void aForegroundDeletionKeepsTheTemplateUntilEveryMembersCopyIsGone() throws Exception {
    // Given: replicated everywhere, and ap-south-1 unreachable, so its copy cannot be deleted
    apply(API_EVERYWHERE);
    apply(deployment(""));
    awaitBinding("api-deployment", "fully applied on three", x -> fullyApplied(x));
    assertThat(run("sim", "fail", "ap-south-1").code()).isZero();
    // When
    Main.Result deleted = run("delete", "deploy", "api", "-n", "shop", "--cascade=foreground");
    // Then: the copies in the reachable clusters go; the template stays, marked, for the last one
    assertThat(deleted.code()).as(deleted.err()).isZero();
    ResourceRef api = new ResourceRef("apps/v1", "Deployment", "shop", "api");
    for (String c : List.of("eu-west-1", "us-east-1")) {
      awaitMemberGone(fleet.hub().members().connected(c), api);
    }
    Thread.sleep(1500);
    Main.Result marked = run("get", "deploy", "api", "-n", "shop", "-o", "json");
    assertThat(marked.code()).as("the template is still there").isZero();
    JsonNode meta = ResourceCodec.JSON.readTree(marked.out()).path("metadata");
    assertThat(meta.has("deletionTimestamp")).isTrue();
    assertThat(meta.path("finalizers").toString()).contains("foregroundDeletion");
    // and once ap-south-1 answers again, its copy goes and so does the template
    assertThat(run("sim", "recover", "ap-south-1").code()).isZero();
    awaitMemberGone(fleet.hub().members().connected("ap-south-1"), api);
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (run("get", "deploy", "api", "-n", "shop").code() == 0) {
      assertThat(System.nanoTime()).as("the template gone").isLessThan(deadline);
      Thread.sleep(100);
    }
    assertThat(run("get", "rb", "api-deployment", "-n", "shop").code()).isNotZero();
  }

  @Test
  void anOrphanDeletionLeavesTheMembersCopiesRunning() throws Exception {
    // Given
    apply(API_EVERYWHERE);
    apply(deployment(""));
    awaitBinding("api-deployment", "fully applied on three", x -> fullyApplied(x));
    // When
    Main.Result deleted = run("delete", "deploy", "api", "-n", "shop", "--cascade=orphan");
    // Then: the template, its binding and Works go; every member keeps its copy
    assertThat(deleted.code()).as(deleted.err()).isZero();
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (run("get", "deploy", "api", "-n", "shop").code() == 0
        || run("get", "work", "-n", "shop", "-o", "name").out().contains("api-deployment")) {
      assertThat(System.nanoTime()).as("the template and its Works gone").isLessThan(deadline);
      Thread.sleep(100);
    }
    Thread.sleep(500);
    ResourceRef api = new ResourceRef("apps/v1", "Deployment", "shop", "api");
    for (String c : List.of("ap-south-1", "eu-west-1", "us-east-1")) {
      assertThat(fleet.hub().members().connected(c).get(api)).as("the copy in " + c).isPresent();
    }
    // and a cascade kubectl does not know is refused before anything is deleted
    Main.Result wrong = run("delete", "deploy", "other", "-n", "shop", "--cascade=sometimes");
    assertThat(wrong.code()).isNotZero();
    assertThat(wrong.err()).contains("--cascade must be background, foreground or orphan");
  }

  @Test
  void helmsReleaseRecordsStayOnTheHubWhateverAPolicySelects() throws Exception {
    // Given: a policy that sends every Secret of shop everywhere
    apply(
        """
        apiVersion: policy.meridian.dev/v1alpha1
        kind: PropagationPolicy
        metadata: {name: secrets, namespace: shop}
        spec:
          resourceSelectors: [{apiVersion: v1, kind: Secret}]
        """);
    // When: an ordinary Secret and a Helm release record
    apply(
        """
        apiVersion: v1
        kind: Secret
        metadata: {name: db, namespace: shop}
        stringData: {password: s3cr3t}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: sh.helm.release.v1.shop.v1, namespace: shop, labels: {owner: helm}}
        type: helm.sh/release.v1
        data: {release: SDRzSUFBQUFBQUFBLw==}
        """);
    // Then: the first reaches the members, the second has no binding
    awaitBinding("db-secret", "fully applied", PropagationSimulatedTest::fullyApplied);
    Thread.sleep(1000);
    assertThat(run("get", "rb", "sh.helm.release.v1.shop.v1-secret", "-n", "shop").code())
        .isNotZero();
    ResourceRef release = new ResourceRef("v1", "Secret", "shop", "sh.helm.release.v1.shop.v1");
    assertThat(fleet.hub().members().connected("eu-west-1").get(release)).isEmpty();
  }

  @Test
  void aCordonedClusterTakesNoNewPlacementAndKeepsWhatItRuns() throws Exception {
    // Given: api replicated everywhere
    apply(API_EVERYWHERE);
    apply(deployment(""));
    awaitBinding("api-deployment", "fully applied on three", x -> fullyApplied(x));
    // When: eu-west-1 is cordoned, then another app replicated everywhere
    Main.Result cordoned = run("cordon", "eu-west-1");
    apply(
        API_EVERYWHERE
            .replace("metadata: {name: api,", "metadata: {name: other,")
            .replace("name: api}]", "name: other}]"));
    apply(deployment("").replace("name: api, namespace", "name: other, namespace"));
    // Then: the new app goes to the other two; api keeps eu-west-1
    assertThat(cordoned.code()).as(cordoned.err()).isZero();
    assertThat(cordoned.out()).isEqualTo("cluster.fleet.meridian.dev/eu-west-1 cordoned\n");
    JsonNode other =
        awaitBinding(
            "other-deployment",
            "on two",
            x -> fullyApplied(x) && placement(x).split(" ").length == 2);
    assertThat(placement(other)).doesNotContain("eu-west-1");
    assertThat(other.path("spec").path("excluded").toString()).contains("eu-west-1");
    Thread.sleep(1000);
    assertThat(placement(awaitBinding("api-deployment", "read", x -> true))).contains("eu-west-1");
    assertThat(run("cordon", "eu-west-1").out()).contains("already cordoned");
    // and uncordoned, the new app reaches it too
    assertThat(run("uncordon", "eu-west-1").code()).isZero();
    awaitBinding("other-deployment", "on eu-west-1 too", x -> placement(x).contains("eu-west-1"));
    assertThat(run("cordon", "nowhere").code()).isNotZero();
  }

  static String dividedWithFailback(String failback) {
    return """
        apiVersion: policy.meridian.dev/v1alpha1
        kind: PropagationPolicy
        metadata: {name: api, namespace: shop}
        spec:
          resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: api}]
          placement: {replicaScheduling: {type: Divided}}
          failover: {tolerationSeconds: 0, failback: %s}
        """
        .formatted(failback);
  }

  @Test
  void aRecoveredClusterGetsItsShareBackOnceStable() throws Exception {
    // Given: 6 replicas divided 2/2/2, failback after 2 s of stable health
    apply(dividedWithFailback("{stableSeconds: 2}"));
    apply(deployment(""));
    awaitBinding(
        "api-deployment",
        "2/2/2",
        x -> placement(x).equals("ap-south-1=2 eu-west-1=2 us-east-1=2"));
    // When: ap-south-1 fails and is evicted, its replicas go to the others
    assertThat(run("sim", "fail", "ap-south-1").code()).isZero();
    JsonNode moved =
        awaitBinding("api-deployment", "3/3", x -> placement(x).equals("eu-west-1=3 us-east-1=3"));
    assertThat(moved.path("spec").path("failedOver").toString()).contains("ap-south-1");
    // and comes back
    assertThat(run("sim", "recover", "ap-south-1").code()).isZero();
    // Then: once it has been Ready for 2 s, the replicas are divided again
    long recovered = System.nanoTime();
    JsonNode back =
        awaitBinding(
            "api-deployment",
            "2/2/2 again",
            x -> placement(x).equals("ap-south-1=2 eu-west-1=2 us-east-1=2"));
    assertThat((System.nanoTime() - recovered) / 1_000_000)
        .as("after the stable period")
        .isGreaterThan(1_500L);
    assertThat(back.path("spec").has("failedOver")).isFalse();
  }

  @Test
  void aManualFailbackWaitsForARebalance() throws Exception {
    apply(dividedWithFailback("{mode: Manual, stableSeconds: 0}"));
    apply(deployment(""));
    awaitBinding(
        "api-deployment",
        "2/2/2",
        x -> placement(x).equals("ap-south-1=2 eu-west-1=2 us-east-1=2"));
    assertThat(run("sim", "fail", "ap-south-1").code()).isZero();
    awaitBinding("api-deployment", "3/3", x -> placement(x).equals("eu-west-1=3 us-east-1=3"));
    assertThat(run("sim", "recover", "ap-south-1").code()).isZero();
    fleet.await(
        "ap-south-1 Ready",
        c ->
            Conditions.isTrue(c, "Ready")
                && !c.path("spec").path("taints").toString().contains("NoExecute"),
        "cluster",
        "ap-south-1");
    Thread.sleep(3000);
    assertThat(placement(awaitBinding("api-deployment", "read", x -> true)))
        .as("nothing moves back by itself")
        .isEqualTo("eu-west-1=3 us-east-1=3");
    assertThat(run("rebalance", "deploy", "api", "-n", "shop").code()).isZero();
    awaitBinding(
        "api-deployment",
        "2/2/2 after the rebalance",
        x -> placement(x).equals("ap-south-1=2 eu-west-1=2 us-east-1=2"));
  }

  static boolean presentOrUnreachable(MemberCluster member, ResourceRef ref) {
    try {
      return member.get(ref).isPresent();
    } catch (dev.meridian.members.MemberException e) {
      return true; // a recovered simulated cluster may take a moment to answer again
    }
  }

  static void awaitMemberGone(MemberCluster member, ResourceRef ref) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (presentOrUnreachable(member, ref)) {
      assertThat(System.nanoTime()).as(ref + " gone from " + member.name()).isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
