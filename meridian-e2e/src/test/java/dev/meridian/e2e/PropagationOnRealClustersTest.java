package dev.meridian.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.api.ResourceCodec;
import dev.meridian.app.Main;
import dev.meridian.hub.Hub;
import dev.meridian.hub.HubOptions;
import dev.meridian.members.RealClusters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Propagation on three real Kubernetes API servers (with controller managers, so Deployments get
 * real status): replication with dependencies, segmentation, divided replicas, overrides, a
 * residency guardrail that holds when its only cluster is down, drift reverted, conflicts refused,
 * a member's rejection reported, status aggregated, deletion cleaned up — all checked with kubectl.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PropagationOnRealClustersTest {
  static final Duration GRACE = Duration.ofSeconds(4);
  static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path dir;
  static RealClusters real;
  static Hub hub;
  static String c1;
  static String c2;
  static String c3;

  @BeforeAll
  static void start() throws Exception {
    real = RealClusters.start(3, RealClusters.Options.defaults().withControllerManager());
    hub =
        Hub.start(
            HubOptions.of(dir.resolve("hub"), "127.0.0.1", 0)
                .withHealth(Duration.ofMillis(500), GRACE)
                // the default resync (30 s): drift and status must come back through the member
                // watches
                .withResync(Duration.ofSeconds(30)));
    c1 = real.get(0).name();
    c2 = real.get(1).name();
    c3 = real.get(2).name();
    String[][] fleet = {{c1, "DE", "prod"}, {c2, "US", "prod"}, {c3, "IN", "canary"}};
    for (String[] f : fleet) {
      Main.Result join =
          meridian(
              "join",
              f[0],
              "--kubeconfig",
              real.cluster(f[0]).kubeconfig().toString(),
              "--country",
              f[1],
              "-l",
              "ring=" + f[2]);
      assertThat(join.code()).as(join.err()).isZero();
    }
    for (String[] f : fleet) {
      awaitHub(
          "cluster " + f[0] + " Ready",
          () -> meridian("get", "cluster", f[0], "-o", "json").out(),
          s -> s.contains("\"Healthy\""));
    }
  }

  @AfterAll
  static void stop() {
    if (hub != null) {
      hub.close();
    }
    if (real != null) {
      real.close();
    }
  }

  static Main.Result meridian(String... args) {
    return Main.capture(hub.clientEnvironment(), args);
  }

  static void apply(String yaml) throws Exception {
    Path f = Files.createTempFile(dir, "manifest", ".yaml");
    Files.writeString(f, yaml);
    Main.Result r = meridian("apply", "-f", f.toString());
    assertThat(r.code()).as(r.err()).isZero();
  }

  static Main.Result kubectl(String cluster, String... args) throws Exception {
    return E2e.kubectl(dir, real.kubectl(), real.cluster(cluster).kubeconfig(), args);
  }

  static String awaitHub(String what, E2e.Probe probe, Predicate<String> ok) throws Exception {
    return E2e.await(what, WAIT, probe, ok);
  }

  static String jsonpath(String cluster, String kind, String ns, String name, String path)
      throws Exception {
    Main.Result r = kubectl(cluster, "get", kind, name, "-n", ns, "-o", "jsonpath=" + path);
    return r.code() == 0 ? r.out() : "<absent>";
  }

  static JsonNode hubJson(String... args) throws Exception {
    List<String> a = new ArrayList<>(List.of(args));
    a.addAll(List.of("-o", "json"));
    Main.Result r = meridian(a.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isZero();
    return ResourceCodec.JSON.readTree(r.out());
  }

  static String deployment(
      String name, int replicas, String image, String extraLabels, String extraSpec) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: %s
          namespace: shop
          labels: {app: %s%s}
        spec:
          replicas: %d
          selector: {matchLabels: {app: %s}}
          template:
            metadata: {labels: {app: %s}}
            spec:
              containers:
              - name: main
                image: %s
        %s
        """
        .formatted(name, name, extraLabels, replicas, name, name, image, extraSpec);
  }

  @Test
  @Order(1)
  void replicatesAWorkloadWithItsDependenciesToTheClustersItSelects() throws Exception {
    // Given
    apply(
        """
        apiVersion: v1
        kind: Namespace
        metadata: {name: shop}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: web-config, namespace: shop}
        data: {greeting: hello}
        ---
        apiVersion: policy.meridian.dev/v1alpha1
        kind: PropagationPolicy
        metadata: {name: web, namespace: shop}
        spec:
          resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]
          propagateDependencies: true
          placement:
            clusterAffinity: {labelSelector: {matchLabels: {ring: prod}}}
            replicaScheduling: {type: Duplicated}
        """);
    // When
    apply(
        deployment("web", 3, "nginx:1.27", "", "")
            .replace(
                "        image: nginx:1.27\n",
                "        image: nginx:1.27\n        envFrom: [{configMapRef: {name: web-config}}]\n"));
    // Then
    for (String c : List.of(c1, c2)) {
      awaitHub(
          "web on " + c,
          () -> jsonpath(c, "deploy", "shop", "web", "{.spec.replicas}"),
          "3"::equals);
      assertThat(jsonpath(c, "configmap", "shop", "web-config", "{.data.greeting}"))
          .isEqualTo("hello");
    }
    assertThat(jsonpath(c3, "deploy", "shop", "web", "{.spec.replicas}")).isEqualTo("<absent>");
    JsonNode binding = hubJson("get", "resourcebinding", "web-deployment", "-n", "shop");
    assertThat(binding.path("spec").path("clusters").toString())
        .contains(c1)
        .contains(c2)
        .doesNotContain(c3);
    assertThat(binding.path("spec").path("excluded").toString()).contains(c3);
  }

  @Test
  @Order(2)
  void segmentsComponentsAndDividesReplicasByWeight() throws Exception {
    // When
    apply(
        """
        apiVersion: policy.meridian.dev/v1alpha1
        kind: PropagationPolicy
        metadata: {name: api, namespace: shop}
        spec:
          resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: api}]
          placement:
            clusterAffinity: {names: [%s, %s]}
            replicaScheduling:
              type: Divided
              division: Weighted
              weights: {static: [{clusters: {names: [%s]}, weight: 2}, {clusters: {names: [%s]}, weight: 1}]}
        ---
        apiVersion: policy.meridian.dev/v1alpha1
        kind: PropagationPolicy
        metadata: {name: batch, namespace: shop}
        spec:
          resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: batch}]
          placement:
            clusterAffinity: {names: [%s]}
        """
            .formatted(c1, c2, c1, c2, c3));
    apply(deployment("api", 6, "nginx:1.27", "", ""));
    apply(deployment("batch", 1, "busybox:1.36", "", ""));
    // Then
    awaitHub(
        "api 4 on " + c1,
        () -> jsonpath(c1, "deploy", "shop", "api", "{.spec.replicas}"),
        "4"::equals);
    awaitHub(
        "api 2 on " + c2,
        () -> jsonpath(c2, "deploy", "shop", "api", "{.spec.replicas}"),
        "2"::equals);
    awaitHub(
        "batch on " + c3,
        () -> jsonpath(c3, "deploy", "shop", "batch", "{.spec.replicas}"),
        "1"::equals);
    assertThat(jsonpath(c3, "deploy", "shop", "api", "{.spec.replicas}")).isEqualTo("<absent>");
    assertThat(jsonpath(c1, "deploy", "shop", "batch", "{.spec.replicas}")).isEqualTo("<absent>");
  }

  @Test
  @Order(3)
  void overridesChangeWhatOneClusterGets() throws Exception {
    // When
    apply(
        """
        apiVersion: policy.meridian.dev/v1alpha1
        kind: OverridePolicy
        metadata: {name: web-us, namespace: shop}
        spec:
          resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]
          overrideRules:
          - targetCluster: {names: [%s]}
            overriders:
              imageOverrider: [{component: Tag, operator: replace, value: "1.28"}]
              labels: [{operator: add, value: {served-from: us}}]
        """
            .formatted(c2));
    // Then
    awaitHub(
        "overridden image on " + c2,
        () -> jsonpath(c2, "deploy", "shop", "web", "{.spec.template.spec.containers[0].image}"),
        "nginx:1.28"::equals);
    assertThat(jsonpath(c2, "deploy", "shop", "web", "{.metadata.labels.served-from}"))
        .isEqualTo("us");
    assertThat(jsonpath(c1, "deploy", "shop", "web", "{.spec.template.spec.containers[0].image}"))
        .isEqualTo("nginx:1.27");
  }

  @Test
  @Order(4)
  void revertsDriftMadeDirectlyInAMember() throws Exception {
    // Given
    awaitHub(
        "web on " + c1,
        () -> jsonpath(c1, "deploy", "shop", "web", "{.spec.replicas}"),
        "3"::equals);
    // When
    Main.Result scaled = kubectl(c1, "scale", "deploy", "web", "-n", "shop", "--replicas=7");
    assertThat(scaled.code()).as(scaled.err()).isZero();
    long scaledAt = System.nanoTime();
    // Then: back at once, through the watch on the member (well within the 30 s resync period)
    awaitHub(
        "drift reverted on " + c1,
        () -> jsonpath(c1, "deploy", "shop", "web", "{.spec.replicas}"),
        "3"::equals);
    assertThat(Duration.ofNanos(System.nanoTime() - scaledAt)).isLessThan(Duration.ofSeconds(10));
    awaitHub(
        "a DriftCorrected event",
        () -> meridian("get", "events", "-n", "shop", "-o", "json").out(),
        s -> s.contains("DriftCorrected"));
  }

  @Test
  @Order(5)
  void aggregatesStatusFromEveryCluster() throws Exception {
    JsonNode web =
        ResourceCodec.JSON.readTree(
            awaitHub(
                "web status from both clusters",
                () -> meridian("get", "deploy", "web", "-n", "shop", "-o", "json").out(),
                s -> s.contains("\"clusters\"") && s.contains(c1) && s.contains(c2)));
    JsonNode clusters = web.path("status").path("clusters");
    assertThat(clusters).hasSize(2);
    // the hub's count is the sum of what the members report (rollouts never finish here: no nodes)
    awaitHub(
        "the hub's replica count to be the members' sum",
        () -> {
          int sum = 0;
          for (String c : List.of(c1, c2)) {
            String r = jsonpath(c, "deploy", "shop", "web", "{.status.replicas}");
            sum += r.isEmpty() || r.equals("<absent>") ? 0 : Integer.parseInt(r);
          }
          JsonNode hubWeb = hubJson("get", "deploy", "web", "-n", "shop");
          return hubWeb.path("status").path("replicas").asInt() + "=" + sum;
        },
        v -> v.split("=")[0].equals(v.split("=")[1]) && !v.startsWith("0="));

    JsonNode binding = hubJson("get", "resourcebinding", "web-deployment", "-n", "shop");
    assertThat(binding.path("status").path("conditions").toString()).contains("FullyApplied");
  }

  @Test
  @Order(6)
  void refusesToTakeOverObjectsItDidNotCreate() throws Exception {
    // Given: a ConfigMap someone made directly in the member
    Main.Result created =
        kubectl(
            c1,
            "create",
            "configmap",
            "owned-elsewhere",
            "-n",
            "shop",
            "--from-literal=owner=team-a");
    assertThat(created.code()).as(created.err()).isZero();
    // When
    apply(
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: owned-elsewhere, namespace: shop}
        data: {owner: meridian}
        ---
        apiVersion: policy.meridian.dev/v1alpha1
        kind: PropagationPolicy
        metadata: {name: owned-elsewhere, namespace: shop}
        spec:
          resourceSelectors: [{apiVersion: v1, kind: ConfigMap, name: owned-elsewhere}]
          placement: {clusterAffinity: {names: [%s]}}
        """
            .formatted(c1));
    // Then
    awaitHub(
        "the conflict reported on the binding",
        () ->
            meridian(
                    "get",
                    "resourcebinding",
                    "owned-elsewhere-configmap",
                    "-n",
                    "shop",
                    "-o",
                    "json")
                .out(),
        s -> s.contains("not created by Meridian"));
    assertThat(jsonpath(c1, "configmap", "shop", "owned-elsewhere", "{.data.owner}"))
        .isEqualTo("team-a");
  }

  @Test
  @Order(7)
  void reportsAMembersRejectionWithoutAffectingOthers() throws Exception {
    // When: a Deployment the member refuses (its selector does not match its pod labels)
    apply(
        """
        apiVersion: policy.meridian.dev/v1alpha1
        kind: PropagationPolicy
        metadata: {name: broken, namespace: shop}
        spec:
          resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: broken}]
          placement: {clusterAffinity: {names: [%s]}}
        """
            .formatted(c1));
    apply(
        deployment("broken", 1, "nginx:1.27", "", "")
            .replace(
                "selector: {matchLabels: {app: broken}}", "selector: {matchLabels: {app: other}}"));
    // Then: the member's own message is on the binding, and web is untouched
    awaitHub(
        "the member's rejection on the binding",
        () ->
            meridian("get", "resourcebinding", "broken-deployment", "-n", "shop", "-o", "json")
                .out(),
        PropagationOnRealClustersTest::reportsRejection);
    assertThat(jsonpath(c1, "deploy", "shop", "web", "{.spec.replicas}")).isEqualTo("3");
  }

  /** Whether a binding's JSON shows a cluster that refused the manifest, in the member's words. */
  static boolean reportsRejection(String bindingJson) {
    try {
      for (JsonNode e :
          ResourceCodec.JSON.readTree(bindingJson).path("status").path("aggregatedStatus")) {
        if (!e.path("applied").asBoolean(true)
            && e.path("message").asText().contains("`selector` does not match")) {
          return true;
        }
      }
      return false;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  @Test
  @Order(8)
  void residencyHoldsEvenWhenTheOnlyAllowedClusterIsDown() throws Exception {
    // Given
    apply(
        """
        apiVersion: policy.meridian.dev/v1alpha1
        kind: ResidencyPolicy
        metadata: {name: gdpr}
        spec:
          resourceSelector: {matchLabels: {data.meridian.dev/classification: eu-personal}}
          allowedLocations: {countries: [DE, FR]}
          enforcement: Deny
        ---
        apiVersion: policy.meridian.dev/v1alpha1
        kind: PropagationPolicy
        metadata: {name: crm, namespace: shop}
        spec:
          resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: crm}]
          placement: {replicaScheduling: {type: Duplicated}}
        """);
    // When
    apply(
        deployment("crm", 2, "nginx:1.27", ", data.meridian.dev/classification: eu-personal", ""));
    // Then: only the German cluster gets it, and the binding says why the others do not
    awaitHub(
        "crm on " + c1,
        () -> jsonpath(c1, "deploy", "shop", "crm", "{.spec.replicas}"),
        "2"::equals);
    assertThat(jsonpath(c2, "deploy", "shop", "crm", "{.spec.replicas}")).isEqualTo("<absent>");
    assertThat(jsonpath(c3, "deploy", "shop", "crm", "{.spec.replicas}")).isEqualTo("<absent>");
    JsonNode binding = hubJson("get", "resourcebinding", "crm-deployment", "-n", "shop");
    assertThat(binding.path("spec").path("excluded").toString())
        .contains(c2)
        .contains(c3)
        .containsIgnoringCase("residency");
    // When: the only allowed cluster goes down
    real.stop(c1);
    // Then: nothing moves elsewhere; the binding says it cannot be placed
    awaitHub(
        "crm unschedulable",
        () ->
            meridian("get", "resourcebinding", "crm-deployment", "-n", "shop", "-o", "json").out(),
        s -> s.contains("unschedulable"));
    Thread.sleep(3000);
    assertThat(jsonpath(c2, "deploy", "shop", "crm", "{.spec.replicas}")).isEqualTo("<absent>");
    assertThat(jsonpath(c3, "deploy", "shop", "crm", "{.spec.replicas}")).isEqualTo("<absent>");
    real.restart(c1);
    awaitHub(
        "cluster " + c1 + " Ready again",
        () -> meridian("get", "cluster", c1, "-o", "json").out(),
        s -> s.contains("\"Healthy\""));
  }

  /**
   * The clusters have no kubelets, hence no nodes and no capacity: this test gives each one a Node
   * (through the member's own API, allocatable set on the status subresource as a kubelet would)
   * and removes them at the end, so the later tests see node-less clusters again.
   */
  @Test
  @Order(9)
  void residencyHoldsEvenWhenTheOnlyAllowedClusterIsFull() throws Exception {
    List<String> all = List.of(c1, c2, c3);
    try {
      // Given: the German cluster (the only one the guardrail allows) has room for one replica of
      // cpu 1; the US and Indian ones have room for many
      setNode(c1, "1");
      setNode(c2, "64");
      setNode(c3, "64");
      awaitAllocatableCpu(c1, "1");
      awaitAllocatableCpu(c2, "64");
      awaitAllocatableCpu(c3, "64");
      apply(
          """
          apiVersion: policy.meridian.dev/v1alpha1
          kind: ResidencyPolicy
          metadata: {name: eu-only}
          spec:
            resourceSelector: {matchLabels: {data.meridian.dev/residency: eu}}
            allowedLocations: {countries: [DE, FR]}
            enforcement: Deny
          ---
          apiVersion: policy.meridian.dev/v1alpha1
          kind: PropagationPolicy
          metadata: {name: ledger, namespace: shop}
          spec:
            resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: ledger}]
            placement: {replicaScheduling: {type: Divided, division: Aggregated}}
          """);
      // When: two replicas of cpu 1 each, which the German cluster cannot both hold
      apply(
          deployment("ledger", 2, "nginx:1.27", ", data.meridian.dev/residency: eu", "")
              .replace(
                  "        image: nginx:1.27\n",
                  "        image: nginx:1.27\n        resources: {requests: {cpu: \"1\"}}\n"));
      // Then: unschedulable, because of capacity in the EU and residency elsewhere
      JsonNode binding =
          ResourceCodec.JSON.readTree(
              awaitHub(
                  "ledger unschedulable",
                  () ->
                      meridian(
                              "get",
                              "resourcebinding",
                              "ledger-deployment",
                              "-n",
                              "shop",
                              "-o",
                              "json")
                          .out(),
                  s -> s.contains("\"Unschedulable\"")));
      assertThat(binding.path("spec").path("clusters")).isEmpty();
      assertThat(condition(binding, "Scheduled")).isEqualTo("False/Unschedulable");
      assertThat(binding.path("spec").path("unschedulable").asText())
          .isEqualTo(
              "capacity: the selected clusters can hold 1 replica in all, 2 wanted;"
                  + " nothing is placed outside the locations ResidencyPolicy eu-only allows");
      assertThat(reasons(binding, c1))
          .isEqualTo("[\"capacity: the selected clusters can hold 1 replica in all, 2 wanted\"]");
      for (String c : List.of(c2, c3)) {
        assertThat(reasons(binding, c))
            .contains("residency: ResidencyPolicy eu-only allows countries [DE, FR]")
            .doesNotContain("capacity");
      }
      // and, checked on every member for a while, the Deployment is nowhere: not squeezed into
      // the German cluster, not spilled over to the clusters with room
      long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      do {
        for (String c : all) {
          assertThat(jsonpath(c, "deploy", "shop", "ledger", "{.spec.replicas}"))
              .as("ledger on " + c)
              .isEqualTo("<absent>");
        }
        Thread.sleep(500);
      } while (System.nanoTime() < until);

      // When: the German cluster grows (its node now has cpu 4)
      setNode(c1, "4");
      awaitAllocatableCpu(c1, "4");
      // Then: both replicas go there, and only there
      awaitHub(
          "ledger on " + c1,
          () -> jsonpath(c1, "deploy", "shop", "ledger", "{.spec.replicas}"),
          "2"::equals);
      assertThat(jsonpath(c2, "deploy", "shop", "ledger", "{.spec.replicas}"))
          .isEqualTo("<absent>");
      assertThat(jsonpath(c3, "deploy", "shop", "ledger", "{.spec.replicas}"))
          .isEqualTo("<absent>");
      binding = hubJson("get", "resourcebinding", "ledger-deployment", "-n", "shop");
      assertThat(binding.path("spec").has("unschedulable")).isFalse();
      assertThat(binding.path("spec").path("clusters").toString())
          .isEqualTo("[{\"name\":\"" + c1 + "\",\"replicas\":2}]");
      assertThat(condition(binding, "Scheduled")).isEqualTo("True/Scheduled");
      for (String c : List.of(c2, c3)) {
        assertThat(reasons(binding, c)).contains("residency: ResidencyPolicy eu-only");
      }
    } finally {
      meridian("delete", "deploy", "ledger", "-n", "shop");
      for (String c : all) {
        kubectl(c, "delete", "node", NODE, "--ignore-not-found");
      }
    }
    // the clusters are node-less again for the tests that follow
    for (String c : all) {
      awaitAllocatableCpu(c, "0");
      awaitHub(
          "ledger gone from " + c,
          () -> jsonpath(c, "deploy", "shop", "ledger", "{.spec.replicas}"),
          "<absent>"::equals);
    }
  }

  static final String NODE = "meridian-e2e-node";

  /**
   * Creates the test's Node on {@code cluster} if missing and sets its capacity and allocatable
   * (cpu as given, 64Gi memory, 110 pods) through the status subresource.
   */
  static void setNode(String cluster, String cpu) throws Exception {
    if (jsonpath(cluster, "node", "default", NODE, "{.metadata.name}").equals("<absent>")) {
      Path f = Files.createTempFile(dir, "node", ".yaml");
      Files.writeString(f, "apiVersion: v1\nkind: Node\nmetadata: {name: " + NODE + "}\n");
      Main.Result created = kubectl(cluster, "create", "-f", f.toString());
      assertThat(created.code()).as(created.err()).isZero();
    }
    String amounts = "{\"cpu\":\"%s\",\"memory\":\"64Gi\",\"pods\":\"110\"}".formatted(cpu);
    Main.Result patched =
        kubectl(
            cluster,
            "patch",
            "node",
            NODE,
            "--subresource=status",
            "--type=merge",
            "-p",
            "{\"status\":{\"capacity\":%s,\"allocatable\":%s}}".formatted(amounts, amounts));
    assertThat(patched.code()).as(patched.err()).isZero();
  }

  /** Waits until the hub's Cluster object shows {@code cpu} as the cluster's allocatable cpu. */
  static void awaitAllocatableCpu(String cluster, String cpu) throws Exception {
    awaitHub(
        "allocatable cpu " + cpu + " on the hub's Cluster " + cluster,
        () ->
            hubJson("get", "cluster", cluster)
                .path("status")
                .path("allocatable")
                .path("cpu")
                .asText(),
        cpu::equals);
  }

  /** The {@code status/reason} of the binding's condition {@code type}; empty when absent. */
  static String condition(JsonNode binding, String type) {
    for (JsonNode c : binding.path("status").path("conditions")) {
      if (c.path("type").asText().equals(type)) {
        return c.path("status").asText() + "/" + c.path("reason").asText();
      }
    }
    return "";
  }

  /** The reasons the binding gives for leaving {@code cluster} out, joined; empty when none. */
  static String reasons(JsonNode binding, String cluster) {
    for (JsonNode e : binding.path("spec").path("excluded")) {
      if (e.path("cluster").asText().equals(cluster)) {
        return e.path("reasons").toString();
      }
    }
    return "";
  }

  @Test
  @Order(10)
  void deletingTheTemplateRemovesItFromTheMembers() throws Exception {
    // When
    Main.Result deleted = meridian("delete", "deploy", "web", "-n", "shop");
    assertThat(deleted.code()).as(deleted.err()).isZero();
    // Then
    for (String c : List.of(c1, c2)) {
      awaitHub(
          "web gone from " + c,
          () -> jsonpath(c, "deploy", "shop", "web", "{.spec.replicas}"),
          "<absent>"::equals);
      awaitHub(
          "web-config gone from " + c,
          () -> jsonpath(c, "configmap", "shop", "web-config", "{.data.greeting}"),
          "<absent>"::equals);
    }
    assertThat(meridian("get", "resourcebinding", "web-deployment", "-n", "shop").code())
        .isNotZero();
  }

  @Test
  @Order(11)
  void doesNotSendAnApiVersionTheMemberDoesNotServe() throws Exception {
    // Given: a kind the hub knows (its CRD is on the hub) but no member serves
    apply(
        """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: widgets.example.com}
        spec:
          group: example.com
          scope: Namespaced
          names: {plural: widgets, singular: widget, kind: Widget}
          versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]
        """);
    JsonNode cluster = hubJson("get", "cluster", c2);
    assertThat(cluster.path("status").path("apiEnablements").toString())
        .contains("apps/v1")
        .doesNotContain("example.com/v1");
    // When: the hub must be restarted to watch a new kind? No: apply the template and its policy
    apply(
        """
        apiVersion: policy.meridian.dev/v1alpha1
        kind: PropagationPolicy
        metadata: {name: widgets, namespace: shop}
        spec:
          resourceSelectors: [{apiVersion: example.com/v1, kind: Widget}]
          placement: {clusterAffinity: {names: [%s]}}
        ---
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: w1, namespace: shop}
        spec: {size: 3}
        """
            .formatted(c2));
    // Then
    String binding =
        awaitHub(
            "the widget's binding",
            () -> meridian("get", "resourcebinding", "w1-widget", "-n", "shop", "-o", "json").out(),
            s -> s.contains("not served"));
    assertThat(binding).contains("example.com/v1 is not served by the cluster");
  }

  @Test
  @Order(12)
  void kubectlRolloutStatusOnTheHubWaitsUntilEveryMemberHasRolledOut() throws Exception {
    // Given: a Deployment of no replicas (no nodes here), so that the members' own deployment
    // controllers finish its rollouts
    apply(
        """
        apiVersion: policy.meridian.dev/v1alpha1
        kind: PropagationPolicy
        metadata: {name: idle, namespace: shop}
        spec:
          resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: idle}]
          placement:
            clusterAffinity: {labelSelector: {matchLabels: {ring: prod}}}
            replicaScheduling: {type: Duplicated}
        """);
    apply(deployment("idle", 0, "nginx:1.27", "", ""));
    Path config = hub.kubeconfig();
    // When: kubectl (its streaming watch) waits for the first rollout, then for a change's
    Main.Result first =
        E2e.kubectl(
            dir,
            real.kubectl(),
            config,
            "rollout",
            "status",
            "deploy/idle",
            "-n",
            "shop",
            "--timeout=50s");
    Main.Result changed =
        E2e.kubectl(
            dir,
            real.kubectl(),
            config,
            "set",
            "image",
            "deploy/idle",
            "-n",
            "shop",
            "main=nginx:1.28");
    Main.Result second =
        E2e.kubectl(
            dir,
            real.kubectl(),
            config,
            "rollout",
            "status",
            "deploy/idle",
            "-n",
            "shop",
            "--timeout=50s");
    // Then: done only once both members run the new image, as their controllers observed it
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out()).contains("deployment \"idle\" successfully rolled out");
    assertThat(changed.code()).as(changed.err()).isZero();
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(second.out()).contains("successfully rolled out");
    for (String c : List.of(c1, c2)) {
      assertThat(jsonpath(c, "deploy", "shop", "idle", "{.spec.template.spec.containers[0].image}"))
          .isEqualTo("nginx:1.28");
      assertThat(jsonpath(c, "deploy", "shop", "idle", "{.status.observedGeneration}"))
          .isEqualTo(jsonpath(c, "deploy", "shop", "idle", "{.metadata.generation}"));
    }
    JsonNode idle = hubJson("get", "deploy", "idle", "-n", "shop");
    assertThat(idle.path("status").path("observedGeneration").asLong()).isEqualTo(2);
    // and kubectl wait reads the aggregated condition
    Main.Result healthy =
        E2e.kubectl(
            dir,
            real.kubectl(),
            config,
            "wait",
            "--for=condition=Healthy",
            "deploy/idle",
            "-n",
            "shop",
            "--timeout=30s");
    assertThat(healthy.code()).as(healthy.err()).isZero();
    // and kubectl delete --cascade=orphan removes it from the hub only
    Main.Result orphaned =
        E2e.kubectl(
            dir, real.kubectl(), config, "delete", "deploy/idle", "-n", "shop", "--cascade=orphan");
    assertThat(orphaned.code()).as(orphaned.err()).isZero();
    awaitHub(
        "the idle binding gone",
        () -> String.valueOf(meridian("get", "rb", "idle-deployment", "-n", "shop").code()),
        code -> !code.equals("0"));
    Thread.sleep(1000);
    for (String c : List.of(c1, c2)) {
      assertThat(jsonpath(c, "deploy", "shop", "idle", "{.spec.template.spec.containers[0].image}"))
          .as("the copy left in " + c)
          .isEqualTo("nginx:1.28");
    }
  }
}
