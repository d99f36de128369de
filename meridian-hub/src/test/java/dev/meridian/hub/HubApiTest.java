package dev.meridian.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.api.ResourceCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub's REST API over real HTTP. */
class HubApiTest {
  static final String CLUSTERS = "/apis/fleet.meridian.dev/v1alpha1/clusters";
  static final String DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments";

  @TempDir Path dir;
  Hub hub;
  TestClient client;

  @BeforeEach
  void start() {
    hub = Hub.start(HubOptions.of(dir, "127.0.0.1", 0).withControllers(false));
    client = TestClient.of(hub);
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  static String cluster(String name, String country) {
    return """
        {"apiVersion":"fleet.meridian.dev/v1alpha1","kind":"Cluster",
         "metadata":{"name":"%s","labels":{"ring":"prod","country":"%s"}},
         "spec":{"connection":{"simulated":{"capacity":{"cpu":"64","memory":"256Gi","pods":"1000"}}},
                 "location":{"region":"r-%s","country":"%s"}}}"""
        .formatted(name, country.toLowerCase(), country.toLowerCase(), country);
  }

  static final String DEPLOYMENT =
      """
      {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}},
       "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},"x-unknown":{"kept":[1,2.50,"x"]},
        "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx:1.27",
        "resources":{"requests":{"cpu":"100m"}}}]}}}}""";

  @Test
  void rejectsRequestsWithoutAValidToken() {
    // When
    var none = client.sendAs("GET", CLUSTERS, null, null, null);
    var wrong = client.sendAs("GET", CLUSTERS, null, null, "not-the-token");
    var version = client.sendAs("GET", "/version", null, null, null);
    // Then
    assertThat(none.code()).isEqualTo(401);
    assertThat(none.json().path("kind").asText()).isEqualTo("Status");
    assertThat(none.reason()).isEqualTo("Unauthorized");
    assertThat(wrong.code()).isEqualTo(401);
    assertThat(version.code()).isEqualTo(200);
    assertThat(version.json().path("major").asText()).isEqualTo("1");
    assertThat(dir.resolve("admin.token")).exists();
  }

  @Test
  void createsGetsListsAndRefusesDuplicates() {
    // When
    var created = client.post(CLUSTERS, cluster("eu-1", "DE"));
    var again = client.post(CLUSTERS, cluster("eu-1", "DE"));
    var got = client.get(CLUSTERS + "/eu-1");
    var list = client.get(CLUSTERS);
    // Then
    assertThat(created.code()).as(created.body()).isEqualTo(201);
    JsonNode meta = created.json().path("metadata");
    assertThat(meta.path("uid").asText()).isNotEmpty();
    assertThat(meta.path("creationTimestamp").asText()).endsWith("Z");
    assertThat(meta.path("generation").asLong()).isEqualTo(1);
    assertThat(meta.path("resourceVersion").asText()).matches("[0-9]+");
    assertThat(again.code()).isEqualTo(409);
    assertThat(again.reason()).isEqualTo("AlreadyExists");
    assertThat(got.json()).isEqualTo(created.json());
    assertThat(list.json().path("kind").asText()).isEqualTo("ClusterList");
    assertThat(list.json().path("items")).hasSize(1);
    assertThat(Long.parseLong(list.json().path("metadata").path("resourceVersion").asText()))
        .isGreaterThanOrEqualTo(Long.parseLong(meta.path("resourceVersion").asText()));
  }

  @Test
  void keepsTemplatesExactlyAsWritten() throws Exception {
    // When
    var created = client.post(DEPLOYMENTS, DEPLOYMENT);
    var got = client.get(DEPLOYMENTS + "/web");
    // Then
    assertThat(created.code()).as(created.body()).isEqualTo(201);
    JsonNode sent = ResourceCodec.JSON.readTree(DEPLOYMENT);
    assertThat(got.json().path("spec")).isEqualTo(sent.path("spec"));
    assertThat(ResourceCodec.toJson(got.json().path("spec")))
        .isEqualTo(ResourceCodec.toJson(sent.path("spec")));
    assertThat(got.body()).contains("2.50");
    assertThat(got.json().path("metadata").path("namespace").asText()).isEqualTo("default");
  }

  @Test
  void acceptsYamlBodies() {
    // When
    var created =
        client.postYaml(
            "/api/v1/namespaces/default/configmaps",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  country: \"NO\"\n  port: \"8080\"\n");
    // Then
    assertThat(created.code()).as(created.body()).isEqualTo(201);
    assertThat(created.json().path("data").path("country").asText()).isEqualTo("NO");
  }

  @Test
  void refusesObjectsInNamespacesThatDoNotExistOrDoNotMatch() {
    // When
    var missing = client.post("/apis/apps/v1/namespaces/shop/deployments", DEPLOYMENT);
    var mismatch =
        client.post(
            DEPLOYMENTS,
            DEPLOYMENT.replace("\"name\":\"web\",", "\"name\":\"web\",\"namespace\":\"other\","));
    var ns =
        client.post(
            "/api/v1/namespaces",
            "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"shop\"}}");
    var ok = client.post("/apis/apps/v1/namespaces/shop/deployments", DEPLOYMENT);
    // Then
    assertThat(missing.code()).isEqualTo(404);
    assertThat(missing.message()).isEqualTo("namespaces \"shop\" not found");
    assertThat(mismatch.code()).isEqualTo(400);
    assertThat(mismatch.message()).contains("does not match the namespace");
    assertThat(ns.code()).isEqualTo(201);
    assertThat(ok.code()).isEqualTo(201);
  }

  @Test
  void updatesWithOptimisticConcurrency() {
    // Given
    JsonNode v1 = client.post(CLUSTERS, cluster("eu-1", "DE")).json();
    String rv1 = v1.path("metadata").path("resourceVersion").asText();
    String updated =
        cluster("eu-1", "FR")
            .replace("\"name\":\"eu-1\"", "\"name\":\"eu-1\",\"resourceVersion\":\"" + rv1 + "\"");
    // When
    var first = client.put(CLUSTERS + "/eu-1", updated);
    var stale = client.put(CLUSTERS + "/eu-1", updated);
    var unconditional = client.put(CLUSTERS + "/eu-1", cluster("eu-1", "FR"));
    // Then
    assertThat(first.code()).as(first.body()).isEqualTo(200);
    assertThat(first.json().path("spec").path("location").path("country").asText()).isEqualTo("FR");
    assertThat(first.json().path("metadata").path("generation").asLong()).isEqualTo(2);
    assertThat(first.json().path("metadata").path("uid"))
        .isEqualTo(v1.path("metadata").path("uid"));
    assertThat(stale.code()).isEqualTo(409);
    assertThat(stale.reason()).isEqualTo("Conflict");
    assertThat(unconditional.code()).isEqualTo(200);
    assertThat(unconditional.json().path("metadata").path("generation").asLong())
        .as("no spec change, no new generation")
        .isEqualTo(2);
    assertThat(
            client
                .get(CLUSTERS + "/eu-1")
                .json()
                .path("spec")
                .path("location")
                .path("country")
                .asText())
        .isEqualTo("FR");
  }

  @Test
  void statusIsOnlyWrittenThroughTheStatusSubresource() {
    // Given
    client.post(CLUSTERS, cluster("eu-1", "DE"));
    String withStatus =
        cluster("eu-1", "DE")
            .replaceFirst("}$", ",\"status\":{\"kubernetesVersion\":\"v1.34.2\"}}");
    // When
    var viaMain = client.put(CLUSTERS + "/eu-1", withStatus);
    var viaStatus = client.put(CLUSTERS + "/eu-1/status", withStatus);
    var specChangeViaStatus =
        client.put(
            CLUSTERS + "/eu-1/status",
            cluster("eu-1", "FR")
                .replaceFirst("}$", ",\"status\":{\"kubernetesVersion\":\"v1.34.3\"}}"));
    // Then
    assertThat(viaMain.json().path("status").isMissingNode()).isTrue();
    assertThat(viaStatus.code()).as(viaStatus.body()).isEqualTo(200);
    assertThat(viaStatus.json().path("status").path("kubernetesVersion").asText())
        .isEqualTo("v1.34.2");
    assertThat(specChangeViaStatus.json().path("spec").path("location").path("country").asText())
        .isEqualTo("DE");
    assertThat(specChangeViaStatus.json().path("status").path("kubernetesVersion").asText())
        .isEqualTo("v1.34.3");
  }

  @Test
  void appliesMergeAndJsonPatches() {
    // Given
    client.post(DEPLOYMENTS, DEPLOYMENT);
    // When
    var merge =
        client.patch(
            DEPLOYMENTS + "/web",
            "{\"spec\":{\"replicas\":5,\"x-unknown\":null}}",
            "application/merge-patch+json");
    var json =
        client.patch(
            DEPLOYMENTS + "/web",
            "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":7},{\"op\":\"add\",\"path\":\"/metadata/labels/tier\",\"value\":\"gold\"}]",
            "application/json-patch+json");
    var badTest =
        client.patch(
            DEPLOYMENTS + "/web",
            "[{\"op\":\"test\",\"path\":\"/spec/replicas\",\"value\":1}]",
            "application/json-patch+json");
    // Then
    assertThat(merge.code()).as(merge.body()).isEqualTo(200);
    assertThat(merge.json().path("spec").path("replicas").asInt()).isEqualTo(5);
    assertThat(merge.json().path("spec").has("x-unknown")).isFalse();
    assertThat(json.json().path("spec").path("replicas").asInt()).isEqualTo(7);
    assertThat(json.json().path("metadata").path("labels").path("tier").asText()).isEqualTo("gold");
    assertThat(badTest.code()).isEqualTo(422);
    assertThat(client.get(DEPLOYMENTS + "/web").json().path("spec").path("replicas").asInt())
        .isEqualTo(7);
  }

  @Test
  void appliesStrategicMergePatchesToBuiltInKindsAndAnswers415ForMeridianKinds() {
    // Given a Deployment with one container, and a Cluster
    client.post(DEPLOYMENTS, DEPLOYMENT);
    client.post(
        CLUSTERS,
        "{\"apiVersion\":\"fleet.meridian.dev/v1alpha1\",\"kind\":\"Cluster\",\"metadata\":{\"name\":\"smp\"},\"spec\":{}}");
    String smp = "application/strategic-merge-patch+json";
    // When: a sidecar is added and the container's image changed, by merge key
    var added =
        client.patch(
            DEPLOYMENTS + "/web",
            "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"log\",\"image\":\"fluent-bit:3\"},{\"name\":\"web\",\"image\":\"nginx:1.28\"}]}}}}",
            smp);
    // and, as a dry run, the sidecar deleted
    var dryDelete =
        client.patch(
            DEPLOYMENTS + "/web?dryRun=All",
            "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"log\",\"$patch\":\"delete\"}]}}}}",
            smp);
    // and a patch with an unknown directive, and one on a Meridian kind
    var unknown =
        client.patch(
            DEPLOYMENTS + "/web",
            "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"web\",\"$patch\":\"frobnicate\"}]}}}}",
            smp);
    var meridianKind =
        client.patch(CLUSTERS + "/smp", "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}", smp);

    // Then the containers merged by name: the web container kept its resources
    assertThat(added.code()).as(added.body()).isEqualTo(200);
    JsonNode containers =
        added.json().path("spec").path("template").path("spec").path("containers");
    assertThat(containers).extracting(c -> c.path("name").asText()).containsExactly("log", "web");
    assertThat(containers.path(1).path("image").asText()).isEqualTo("nginx:1.28");
    assertThat(containers.path(1).path("resources").path("requests").path("cpu").asText())
        .isEqualTo("100m");
    // the dry run answered the result and stored nothing
    assertThat(dryDelete.code()).as(dryDelete.body()).isEqualTo(200);
    assertThat(dryDelete.json().path("spec").path("template").path("spec").path("containers"))
        .extracting(c -> c.path("name").asText())
        .containsExactly("web");
    var stored = client.get(DEPLOYMENTS + "/web").json();
    assertThat(stored.path("spec").path("template").path("spec").path("containers").size())
        .isEqualTo(2);
    assertThat(stored.path("metadata").path("resourceVersion"))
        .isEqualTo(added.json().path("metadata").path("resourceVersion"));
    // the unknown directive is a 400 with Kubernetes' words, nothing stored
    assertThat(unknown.code()).isEqualTo(400);
    assertThat(unknown.json().path("kind").asText()).isEqualTo("Status");
    assertThat(unknown.json().path("message").asText()).contains("unknown patch type: frobnicate");
    // a Meridian kind answers 415 as kube-apiserver does for custom resources
    assertThat(meridianKind.code()).isEqualTo(415);
    assertThat(meridianKind.json().path("message").asText())
        .contains(
            "accepted media types include: application/json-patch+json, application/merge-patch+json");
  }

  @Test
  void servesTheScaleSubresourceOfDeployments() {
    // Given a Deployment of 3
    client.post(DEPLOYMENTS, DEPLOYMENT);
    String scale = DEPLOYMENTS + "/web/scale";
    // When its Scale is read, patched, dry-run, and replaced with a stale version or a bad count
    var read = client.get(scale);
    var patched =
        client.patch(scale, "{\"spec\":{\"replicas\":5}}", "application/merge-patch+json");
    var dry =
        client.patch(
            scale + "?dryRun=All", "{\"spec\":{\"replicas\":9}}", "application/merge-patch+json");
    var stale =
        client.put(
            scale,
            "{\"apiVersion\":\"autoscaling/v1\",\"kind\":\"Scale\",\"metadata\":{\"name\":\"web\",\"resourceVersion\":\""
                + read.json().path("metadata").path("resourceVersion").asText()
                + "\"},\"spec\":{\"replicas\":2}}");
    var negative =
        client.patch(scale, "{\"spec\":{\"replicas\":-1}}", "application/merge-patch+json");
    var discovery = client.get("/apis/apps/v1");
    // Then
    assertThat(read.code()).as(read.body()).isEqualTo(200);
    assertThat(read.json().path("kind").asText()).isEqualTo("Scale");
    assertThat(read.json().path("apiVersion").asText()).isEqualTo("autoscaling/v1");
    assertThat(read.json().path("spec").path("replicas").asInt()).isEqualTo(3);
    assertThat(read.json().path("status").path("selector").asText()).isEqualTo("app=web");
    assertThat(patched.code()).as(patched.body()).isEqualTo(200);
    assertThat(patched.json().path("spec").path("replicas").asInt()).isEqualTo(5);
    assertThat(dry.json().path("spec").path("replicas").asInt()).isEqualTo(9);
    assertThat(stale.code()).as(stale.body()).isEqualTo(409);
    assertThat(negative.code()).as(negative.body()).isEqualTo(422);
    assertThat(client.get(DEPLOYMENTS + "/web").json().path("spec").path("replicas").asInt())
        .isEqualTo(5);
    assertThat(discovery.body()).contains("\"name\":\"deployments/scale\"");
  }

  @Test
  void readsDeleteOptionsAsKubeApiserverDoes() {
    // Given: a cluster with a finalizer, and one without
    client.post(
        CLUSTERS,
        cluster("eu-1", "DE")
            .replace(
                "\"name\":\"eu-1\"",
                "\"name\":\"eu-1\",\"finalizers\":[\"meridian.dev/cleanup\"]"));
    client.post(CLUSTERS, cluster("us-1", "US"));
    long generation = client.get(CLUSTERS + "/eu-1").json().at("/metadata/generation").asLong();
    String uid = client.get(CLUSTERS + "/us-1").json().at("/metadata/uid").asText();
    // When
    var unknownPolicy =
        client.send(
            "DELETE",
            CLUSTERS + "/us-1",
            "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"propagationPolicy\":\"Sometimes\"}",
            "application/json");
    var wrongUid =
        client.send(
            "DELETE",
            CLUSTERS + "/us-1",
            "{\"preconditions\":{\"uid\":\"0000\"}}",
            "application/json");
    // (foreground on an object nothing depends on: deleted at once, as Kubernetes' collector does)
    var rightUid =
        client.send(
            "DELETE",
            CLUSTERS + "/us-1",
            "{\"preconditions\":{\"uid\":\"" + uid + "\"},\"propagationPolicy\":\"Foreground\"}",
            "application/json");
    client.delete(CLUSTERS + "/eu-1?propagationPolicy=Orphan");
    var marked = client.get(CLUSTERS + "/eu-1").json();
    // Then
    assertThat(unknownPolicy.code()).as(unknownPolicy.body()).isEqualTo(422);
    assertThat(unknownPolicy.message())
        .contains("Unsupported value: \"Sometimes\": supported values: \"Foreground\"");
    assertThat(wrongUid.code()).isEqualTo(409);
    assertThat(wrongUid.message())
        .isEqualTo("Precondition failed: UID in precondition: 0000, UID in object meta: " + uid);
    assertThat(rightUid.code()).as(rightUid.body()).isEqualTo(200);
    assertThat(client.get(CLUSTERS + "/us-1").code()).isEqualTo(404);
    // the mark of a deletion is a new generation, and no orphan finalizer without dependents
    assertThat(marked.at("/metadata/generation").asLong()).isEqualTo(generation + 1);
    assertThat(marked.at("/metadata/finalizers").toString())
        .isEqualTo("[\"meridian.dev/cleanup\"]");
  }

  @Test
  void serverSideApplyCreatesOwnsAndRefusesWhatKubeApiserverRefuses() {
    String cm =
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: applied, namespace: default}\n"
            + "data: {a: \"1\"}\n";
    String path = "/api/v1/namespaces/default/configmaps/applied";
    String applyType = "application/apply-patch+yaml";
    // When
    var noManager = client.patch(path, cm, applyType);
    var dry = client.patch(path + "?fieldManager=ci&dryRun=All", cm, applyType);
    var afterDry = client.get(path);
    var created = client.patch(path + "?fieldManager=ci", cm, applyType);
    var other = client.patch(path + "?fieldManager=other", cm.replace("\"1\"", "\"2\""), applyType);
    var forced =
        client.patch(
            path + "?fieldManager=other&force=true", cm.replace("\"1\"", "\"2\""), applyType);
    var withManaged =
        client.patch(
            path + "?fieldManager=ci",
            cm.replace("namespace: default}", "namespace: default, managedFields: []}"),
            applyType);
    // Then
    assertThat(noManager.code()).isEqualTo(422);
    assertThat(noManager.message()).contains("fieldManager: Required value");
    assertThat(dry.code()).as(dry.body()).isEqualTo(201);
    assertThat(afterDry.code()).as("a dry run stores nothing").isEqualTo(404);
    assertThat(created.code()).as(created.body()).isEqualTo(201);
    assertThat(created.json().at("/metadata/managedFields/0/manager").asText()).isEqualTo("ci");
    assertThat(other.code()).isEqualTo(409);
    assertThat(other.message())
        .isEqualTo("Apply failed with 1 conflict: conflict with \"ci\": .data.a");
    assertThat(other.json().at("/details/causes/0/reason").asText())
        .isEqualTo("FieldManagerConflict");
    assertThat(forced.code()).as(forced.body()).isEqualTo(200);
    assertThat(forced.json().at("/data/a").asText()).isEqualTo("2");
    assertThat(withManaged.code()).isEqualTo(400);
    // an apply pinned to a resourceVersion the object no longer has is a conflict, and stores
    // nothing
    var stale =
        client.patch(
            path + "?fieldManager=ci",
            cm.replace("namespace: default}", "namespace: default, resourceVersion: \"1\"}")
                .replace("\"1\"\n", "\"3\"\n"),
            applyType);
    assertThat(stale.code()).as(stale.body()).isEqualTo(409);
    assertThat(client.get(path).json().at("/data/a").asText()).isEqualTo("2");
  }

  /** POSTs bytes as {@code application/vnd.kubernetes.protobuf}. */
  TestClient.Response postProtobuf(String path, byte[] body) throws Exception {
    java.net.http.HttpResponse<String> r =
        client.http.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(client.base + path))
                .header("Authorization", "Bearer " + client.token)
                .header("Content-Type", "application/vnd.kubernetes.protobuf")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    return new TestClient.Response(r.statusCode(), r.body(), List.of());
  }

  @Test
  void createsFromAProtobufBodyAndRefusesOneForAMeridianKind() throws Exception {
    // Given: a ConfigMap in Kubernetes' protobuf envelope, and the same bytes named a Cluster
    var proto = dev.meridian.hub.protobuf.KubernetesProtobuf.shipped();
    var cmType = proto.messageType("v1", "ConfigMap").orElseThrow();
    var metaType = cmType.findFieldByName("metadata").getMessageType();
    var configMap =
        com.google.protobuf.DynamicMessage.newBuilder(cmType)
            .setField(
                cmType.findFieldByName("metadata"),
                com.google.protobuf.DynamicMessage.newBuilder(metaType)
                    .setField(metaType.findFieldByName("name"), "from-proto")
                    .build())
            .build();
    String configMaps = "/api/v1/namespaces/default/configmaps";
    // When
    var created =
        postProtobuf(
            configMaps,
            dev.meridian.hub.protobuf.KubernetesProtobufTest.wire(
                proto, "v1", "ConfigMap", configMap));
    var refused =
        postProtobuf(
            CLUSTERS,
            dev.meridian.hub.protobuf.KubernetesProtobufTest.wire(
                proto, "fleet.meridian.dev/v1alpha1", "Cluster", configMap));
    var garbage = postProtobuf(configMaps, "not protobuf".getBytes(StandardCharsets.UTF_8));
    // Then
    assertThat(created.code()).as(created.body()).isEqualTo(201);
    assertThat(client.get(configMaps + "/from-proto").code()).isEqualTo(200);
    assertThat(refused.code()).as(refused.body()).isEqualTo(415);
    assertThat(refused.reason()).isEqualTo("UnsupportedMediaType");
    assertThat(garbage.code()).as(garbage.body()).isEqualTo(400);
    assertThat(garbage.message()).contains("does not appear to be a protobuf message");
  }

  @Test
  void deleteWaitsForFinalizers() {
    // Given
    client.post(
        CLUSTERS,
        cluster("eu-1", "DE")
            .replace(
                "\"name\":\"eu-1\"",
                "\"name\":\"eu-1\",\"finalizers\":[\"meridian.dev/cleanup\"]"));
    // When
    var marked = client.delete(CLUSTERS + "/eu-1");
    var stillThere = client.get(CLUSTERS + "/eu-1");
    var released =
        client.patch(
            CLUSTERS + "/eu-1",
            "{\"metadata\":{\"finalizers\":null}}",
            "application/merge-patch+json");
    var gone = client.get(CLUSTERS + "/eu-1");
    // Then
    assertThat(marked.code()).isEqualTo(200);
    assertThat(stillThere.json().path("metadata").path("deletionTimestamp").asText()).isNotEmpty();
    assertThat(released.code()).as(released.body()).isEqualTo(200);
    assertThat(gone.code()).isEqualTo(404);
    assertThat(gone.reason()).isEqualTo("NotFound");
  }

  @Test
  void selectsByLabelsIncludingSetBasedRequirements() {
    // Given
    client.post(CLUSTERS, cluster("de-1", "DE"));
    client.post(CLUSTERS, cluster("fr-1", "FR"));
    client.post(CLUSTERS, cluster("us-1", "US"));
    // When / Then
    assertThat(names(client.get(CLUSTERS + "?labelSelector=country%20in%20(de,fr)")))
        .containsExactly("de-1", "fr-1");
    assertThat(names(client.get(CLUSTERS + "?labelSelector=country%20notin%20(de,fr)")))
        .containsExactly("us-1");
    assertThat(names(client.get(CLUSTERS + "?labelSelector=country!=us,ring=prod")))
        .containsExactly("de-1", "fr-1");
    assertThat(names(client.get(CLUSTERS + "?labelSelector=!ring"))).isEmpty();
    assertThat(names(client.get(CLUSTERS + "?fieldSelector=metadata.name=us-1")))
        .containsExactly("us-1");
    var bad = client.get(CLUSTERS + "?labelSelector=country%20in%20de");
    assertThat(bad.code()).isEqualTo(400);
    assertThat(bad.message()).contains("invalid label selector");
  }

  @Test
  void rejectsBadInputWithPreciseStatusesAndLeavesStateUnchanged() {
    // Given
    client.post(CLUSTERS, cluster("eu-1", "DE"));
    String before = client.get(CLUSTERS).json().path("items").toString();
    String bomb =
        "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n";
    String deep = "{\"a\":".repeat(500) + "1" + "}".repeat(500);
    // When
    var malformed = client.post(CLUSTERS, "{\"apiVersion\": ");
    var yamlBomb = client.postYaml(CLUSTERS, bomb);
    var tooDeep = client.post(CLUSTERS, deep);
    var oversized = client.post(CLUSTERS, "{\"x\":\"" + "a".repeat(4 * 1024 * 1024) + "\"}");
    var unknownKind = client.post("/apis/example.com/v1/widgets", "{}");
    var wrongKind = client.post(CLUSTERS, DEPLOYMENT);
    var noName = client.post(CLUSTERS, cluster("", "DE"));
    var badSpec =
        client.post(
            CLUSTERS,
            cluster("eu-2", "DE")
                .replace("\"country\":\"DE\"", "\"country\":\"Germany\",\"planet\":\"earth\""));
    var badLabel =
        client.post(
            CLUSTERS,
            cluster("eu-3", "DE").replace("\"ring\":\"prod\"", "\"ring\":\"not valid!\""));
    var stale =
        client.put(
            CLUSTERS + "/eu-1",
            cluster("eu-1", "DE")
                .replace("\"name\":\"eu-1\"", "\"name\":\"eu-1\",\"resourceVersion\":\"1\""));
    // Then
    assertThat(malformed.code()).isEqualTo(400);
    assertThat(malformed.message()).contains("line 1");
    assertThat(yamlBomb.code()).isEqualTo(400);
    assertThat(yamlBomb.message()).contains("alias");
    assertThat(tooDeep.code()).isEqualTo(400);
    assertThat(oversized.code()).isEqualTo(413);
    assertThat(unknownKind.code()).isEqualTo(404);
    assertThat(wrongKind.code()).isEqualTo(400);
    assertThat(wrongKind.message()).contains("does not match");
    assertThat(noName.code()).isEqualTo(422);
    assertThat(noName.json().path("details").path("causes").get(0).path("field").asText())
        .isEqualTo("metadata.name");
    assertThat(badSpec.code()).isEqualTo(422);
    List<String> fields = new ArrayList<>();
    badSpec
        .json()
        .path("details")
        .path("causes")
        .forEach(c -> fields.add(c.path("field").asText()));
    assertThat(fields).containsExactlyInAnyOrder("spec.location.country", "spec.location.planet");
    assertThat(badLabel.code()).isEqualTo(422);
    assertThat(badLabel.message()).contains("metadata.labels[ring]");
    assertThat(stale.code()).isEqualTo(409);
    for (var r :
        List.of(
            malformed,
            yamlBomb,
            tooDeep,
            oversized,
            unknownKind,
            wrongKind,
            noName,
            badSpec,
            stale)) {
      assertThat(r.json().path("kind").asText()).as(r.body()).isEqualTo("Status");
    }
    assertThat(client.get(CLUSTERS).json().path("items").toString()).isEqualTo(before);
  }

  @Test
  void servesDiscoveryAndOpenApi() {
    // When
    var api = client.get("/api");
    var core = client.get("/api/v1");
    var groups = client.get("/apis");
    var fleet = client.get("/apis/fleet.meridian.dev/v1alpha1");
    var openapi = client.get("/openapi/v3");
    var fleetDoc = client.get("/openapi/v3/apis/fleet.meridian.dev/v1alpha1");
    // Then
    assertThat(api.json().path("versions").toString()).contains("v1");
    assertThat(core.body()).contains("\"name\":\"namespaces\"").contains("\"name\":\"configmaps\"");
    assertThat(groups.body())
        .contains("fleet.meridian.dev")
        .contains("policy.meridian.dev")
        .contains("apps");
    JsonNode clusters = null;
    for (JsonNode r : fleet.json().path("resources")) {
      if (r.path("name").asText().equals("clusters")) {
        clusters = r;
      }
    }
    assertThat(clusters).isNotNull();
    assertThat(clusters.path("namespaced").asBoolean()).isFalse();
    assertThat(clusters.path("verbs").toString()).contains("watch");
    assertThat(openapi.json().path("paths").has("apis/fleet.meridian.dev/v1alpha1")).isTrue();
    assertThat(
            fleetDoc
                .json()
                .path("components")
                .path("schemas")
                .path("dev.meridian.fleet.v1alpha1.Cluster")
                .path("properties")
                .has("spec"))
        .isTrue();
  }

  @Test
  void servesKindsOfStoredCustomResourceDefinitions() {
    // Given
    String crd =
        """
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"widgets.example.com"},
         "spec":{"group":"example.com","scope":"Namespaced","names":{"plural":"widgets","singular":"widget","kind":"Widget","shortNames":["wd"]},
          "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}""";
    // When
    var created = client.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
    var widget =
        client.post(
            "/apis/example.com/v1/namespaces/default/widgets",
            "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w1\"},\"spec\":{\"size\":3}}");
    var removed =
        client.delete(
            "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com");
    var after = client.get("/apis/example.com/v1/namespaces/default/widgets");
    // Then
    assertThat(created.code()).as(created.body()).isEqualTo(201);
    assertThat(widget.code()).as(widget.body()).isEqualTo(201);
    assertThat(removed.code()).isEqualTo(200);
    assertThat(after.code()).isEqualTo(404);
  }

  @Test
  void theSameNumberWrittenAnotherWayIsNoNewGeneration() {
    // Given
    assertThat(client.post(DEPLOYMENTS, DEPLOYMENT).code()).isEqualTo(201);
    // When: the spec comes back with its numbers written differently (3.0, 2.5), as a client
    // that re-serializes them might send it
    var same =
        client.put(
            DEPLOYMENTS + "/web",
            DEPLOYMENT.replace("\"replicas\":3", "\"replicas\":3.0").replace("2.50", "2.5"));
    var changed =
        client.put(DEPLOYMENTS + "/web", DEPLOYMENT.replace("\"replicas\":3", "\"replicas\":4"));
    // Then
    assertThat(same.code()).as(same.body()).isEqualTo(200);
    assertThat(same.json().path("metadata").path("generation").asLong()).isEqualTo(1);
    assertThat(changed.json().path("metadata").path("generation").asLong()).isEqualTo(2);
  }

  @Test
  void printsTablesForKubectl() {
    // Given
    client.post(CLUSTERS, cluster("eu-1", "DE"));
    // When
    var res = client.get(CLUSTERS);
    var tableRes =
        getWithAccept(CLUSTERS, "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
    // Then
    assertThat(res.json().path("kind").asText()).isEqualTo("ClusterList");
    assertThat(tableRes.json().path("kind").asText()).isEqualTo("Table");
    assertThat(tableRes.json().path("columnDefinitions").toString())
        .contains("Country")
        .contains("Simulated");
    assertThat(tableRes.json().path("rows").get(0).path("cells").toString())
        .contains("eu-1")
        .contains("DE")
        .contains("yes");
  }

  @Test
  void printsPolicyStatusColumnsForKubectl() {
    // Given: a guardrail and a propagation policy whose status a controller wrote
    String rps = "/apis/policy.meridian.dev/v1alpha1/residencypolicies";
    var rpPost =
        client.post(
            rps,
            """
        {"apiVersion":"policy.meridian.dev/v1alpha1","kind":"ResidencyPolicy",
         "metadata":{"name":"eu"},"spec":{"resourceSelector":{},"allowedLocations":{"countries":["DE","FR"]}}}""");
    assertThat(rpPost.code()).as(rpPost.body()).isEqualTo(201);
    var rp = client.get(rps + "/eu").json().deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) rp)
        .putObject("status")
        .putArray("allowedClusters")
        .add("eu-1")
        .add("eu-2");
    var rpPut = client.put(rps + "/eu/status", rp.toString());
    assertThat(rpPut.code()).as(rpPut.body()).isEqualTo(200);
    String pps = "/apis/policy.meridian.dev/v1alpha1/namespaces/default/propagationpolicies";
    client.post(
        pps,
        """
        {"apiVersion":"policy.meridian.dev/v1alpha1","kind":"PropagationPolicy",
         "metadata":{"name":"web"},
         "spec":{"resourceSelectors":[{"apiVersion":"apps/v1","kind":"Deployment"}]}}""");
    var pp = client.get(pps + "/web").json().deepCopy();
    var status = ((com.fasterxml.jackson.databind.node.ObjectNode) pp).putObject("status");
    status.putArray("conditions").addObject().put("type", "ResolvedRefs").put("status", "False");
    status.putArray("warnings").addObject().put("field", "spec").put("message", "m");
    var ppPut = client.put(pps + "/web/status", pp.toString());
    assertThat(ppPut.code()).as(ppPut.body()).isEqualTo(200);
    // When
    String asTable = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
    var rpTable = getWithAccept(rps, asTable).json();
    var ppTable = getWithAccept(pps, asTable).json();
    // Then
    assertThat(rpTable.path("columnDefinitions").toString())
        .contains("Enforcement")
        .contains("Allowed Clusters");
    assertThat(rpTable.path("rows").get(0).path("cells").toString())
        .contains("\"Deny\"")
        .contains("\"eu-1,eu-2\"");
    assertThat(ppTable.path("columnDefinitions").toString())
        .contains("Resolved")
        .contains("Warnings");
    assertThat(ppTable.path("rows").get(0).path("cells").toString())
        .contains("\"False\"")
        .contains("\"1\"");
    // and a binding says where its template is placed
    String rbs = "/apis/work.meridian.dev/v1alpha1/namespaces/default/resourcebindings";
    var rb =
        client.post(
            rbs,
            """
            {"apiVersion":"work.meridian.dev/v1alpha1","kind":"ResourceBinding",
             "metadata":{"name":"web-deployment"},
             "spec":{"resource":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},
              "clusters":[{"name":"eu-1","replicas":4},{"name":"us-1","replicas":2}]}}""");
    assertThat(rb.code()).as(rb.body()).isEqualTo(201);
    var rbTable = getWithAccept(rbs, asTable).json();
    assertThat(rbTable.path("columnDefinitions").toString())
        .contains("Fully Applied")
        .contains("Placement");
    assertThat(rbTable.path("rows").get(0).path("cells").toString())
        .contains("\"2\"")
        .contains("\"eu-1=4,us-1=2\"");
  }

  @Test
  void deletingANamespaceDeletesItsObjects() throws Exception {
    // Given
    client.post(
        "/api/v1/namespaces",
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"shop\"}}");
    client.post("/apis/apps/v1/namespaces/shop/deployments", DEPLOYMENT);
    // When
    var deleted = client.delete("/api/v1/namespaces/shop");
    var protectedNs = client.delete("/api/v1/namespaces/default");
    // Then
    assertThat(deleted.code()).isEqualTo(200);
    assertThat(client.get("/apis/apps/v1/namespaces/shop/deployments/web").code()).isEqualTo(404);
    assertThat(client.get("/api/v1/namespaces/shop").code()).isEqualTo(404);
    assertThat(protectedNs.code()).isEqualTo(403);
  }

  TestClient.Response getWithAccept(String path, String accept) {
    try {
      var req =
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(client.base + path))
              .header("Authorization", "Bearer " + client.token)
              .header("Accept", accept)
              .build();
      var r = client.http.send(req, java.net.http.HttpResponse.BodyHandlers.ofString());
      return new TestClient.Response(r.statusCode(), r.body());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static List<String> names(TestClient.Response list) {
    List<String> out = new ArrayList<>();
    list.json().path("items").forEach(i -> out.add(i.path("metadata").path("name").asText()));
    return out;
  }
}
