package dev.meridian.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.app.Main;
import dev.meridian.hub.Hub;
import dev.meridian.members.RealClusters;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Helm v4 (built by {@code test-clusters/build.sh} from the Go module proxy, server-side apply by
 * default) against the hub: a chart with a Deployment, a Service, a ConfigMap, a Secret and the
 * PropagationPolicy that sends them to two real clusters is installed, upgraded, rolled back and
 * uninstalled, each step checked with kubectl on the members. Helm's release records stay on the
 * hub.
 */
class HelmOnRealClustersTest {
  static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path dir;
  static RealClusters real;
  static Hub hub;
  static List<String> members;

  static final String TEMPLATES =
      """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: {{ .Release.Name }}-config, labels: {app: {{ .Release.Name }}}}
      data: {greeting: {{ .Values.greeting | quote }}}
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: {{ .Release.Name }}-secret, labels: {app: {{ .Release.Name }}}}
      stringData: {password: {{ .Values.password | quote }}}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: {{ .Release.Name }}, labels: {app: {{ .Release.Name }}}}
      spec:
        selector: {app: {{ .Release.Name }}}
        ports: [{port: 80, targetPort: 8080}]
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: {{ .Release.Name }}, labels: {app: {{ .Release.Name }}}}
      spec:
        replicas: 2
        selector: {matchLabels: {app: {{ .Release.Name }}}}
        template:
          metadata: {labels: {app: {{ .Release.Name }}}}
          spec:
            containers:
            - name: web
              image: {{ .Values.image }}
              envFrom: [{configMapRef: {name: {{ .Release.Name }}-config}}]
      ---
      apiVersion: policy.meridian.dev/v1alpha1
      kind: PropagationPolicy
      metadata: {name: {{ .Release.Name }}}
      spec:
        resourceSelectors:
        - {apiVersion: apps/v1, kind: Deployment, labelSelector: {matchLabels: {app: {{ .Release.Name }}}}}
        - {apiVersion: v1, kind: Service, labelSelector: {matchLabels: {app: {{ .Release.Name }}}}}
        - {apiVersion: v1, kind: ConfigMap, labelSelector: {matchLabels: {app: {{ .Release.Name }}}}}
        - {apiVersion: v1, kind: Secret, labelSelector: {matchLabels: {app: {{ .Release.Name }}}}}
        placement: {clusterAffinity: {labelSelector: {matchLabels: {ring: prod}}}}
      """;

  @BeforeAll
  static void start() throws Exception {
    real = RealClusters.start(2);
    members = List.of(real.get(0).name(), real.get(1).name());
    hub = E2e.hubWithFleet(dir, real, members, WAIT);
    Path chart = dir.resolve("chart");
    Files.createDirectories(chart.resolve("templates"));
    Files.writeString(
        chart.resolve("Chart.yaml"), "apiVersion: v2\nname: shop-web\nversion: 0.1.0\n");
    Files.writeString(
        chart.resolve("values.yaml"), "image: nginx:1.27\ngreeting: hello\npassword: s3cr3t\n");
    Files.writeString(chart.resolve("templates/all.yaml"), TEMPLATES);
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

  static Main.Result helm(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(KubernetesBinaries.bin("helm").toString());
    cmd.add("--kubeconfig=" + hub.kubeconfig());
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "helm", ".out");
    Path err = Files.createTempFile(dir, "helm", ".err");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    // Helm's caches and repositories in the test's own directory, not the user's
    pb.environment().put("HELM_CACHE_HOME", dir.resolve("helm-cache").toString());
    pb.environment().put("HELM_CONFIG_HOME", dir.resolve("helm-config").toString());
    pb.environment().put("HELM_DATA_HOME", dir.resolve("helm-data").toString());
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("helm finished").isTrue();
    return new Main.Result(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  static String onMember(String member, String kind, String name, String jsonpath)
      throws Exception {
    Main.Result r =
        E2e.kubectl(
            dir,
            real.kubectl(),
            real.cluster(member).kubeconfig(),
            "get",
            kind,
            name,
            "-n",
            "shop",
            "-o",
            "jsonpath=" + jsonpath);
    return r.code() == 0 ? r.out() : "<absent>";
  }

  static void awaitOnMembers(String what, String kind, String name, String jsonpath, String value)
      throws Exception {
    for (String m : members) {
      E2e.await(what + " on " + m, WAIT, () -> onMember(m, kind, name, jsonpath), value::equals);
    }
  }

  @Test
  void installUpgradeRollbackAndUninstallReachEveryMember() throws Exception {
    String chart = dir.resolve("chart").toString();
    // install (Helm v4 applies server-side)
    Main.Result install = helm("install", "shopweb", chart, "-n", "shop", "--create-namespace");
    assertThat(install.code()).as(install.err()).isZero();
    awaitOnMembers(
        "the image",
        "deploy",
        "shopweb",
        "{.spec.template.spec.containers[0].image}",
        "nginx:1.27");
    awaitOnMembers("the greeting", "configmap", "shopweb-config", "{.data.greeting}", "hello");
    awaitOnMembers("the secret", "secret", "shopweb-secret", "{.metadata.name}", "shopweb-secret");
    awaitOnMembers("the service", "service", "shopweb", "{.spec.ports[0].port}", "80");
    Main.Result managers =
        meridian("get", "deploy", "shopweb", "-n", "shop", "-o", "yaml", "--show-managed-fields");
    assertThat(managers.out()).contains("manager: helm").contains("operation: Apply");
    // upgrade
    Main.Result upgrade =
        helm(
            "upgrade",
            "shopweb",
            chart,
            "-n",
            "shop",
            "--set",
            "image=nginx:1.28",
            "--set",
            "greeting=bonjour");
    assertThat(upgrade.code()).as(upgrade.err()).isZero();
    awaitOnMembers(
        "the new image",
        "deploy",
        "shopweb",
        "{.spec.template.spec.containers[0].image}",
        "nginx:1.28");
    awaitOnMembers(
        "the new greeting", "configmap", "shopweb-config", "{.data.greeting}", "bonjour");
    // rollback
    Main.Result rollback = helm("rollback", "shopweb", "1", "-n", "shop");
    assertThat(rollback.code()).as(rollback.err()).isZero();
    awaitOnMembers(
        "the first image again",
        "deploy",
        "shopweb",
        "{.spec.template.spec.containers[0].image}",
        "nginx:1.27");
    awaitOnMembers(
        "the first greeting again", "configmap", "shopweb-config", "{.data.greeting}", "hello");
    Main.Result history = helm("history", "shopweb", "-n", "shop");
    assertThat(history.out()).contains("Rollback to 1");
    // Helm's release records are on the hub, never on a member
    assertThat(meridian("get", "secret", "sh.helm.release.v1.shopweb.v3", "-n", "shop").code())
        .isZero();
    for (String m : members) {
      assertThat(onMember(m, "secret", "sh.helm.release.v1.shopweb.v1", "{.metadata.name}"))
          .isEqualTo("<absent>");
    }
    // uninstall
    Main.Result uninstall = helm("uninstall", "shopweb", "-n", "shop");
    assertThat(uninstall.code()).as(uninstall.err()).isZero();
    awaitOnMembers("the deployment gone", "deploy", "shopweb", "{.metadata.name}", "<absent>");
    awaitOnMembers(
        "the configmap gone", "configmap", "shopweb-config", "{.metadata.name}", "<absent>");
    awaitOnMembers("the secret gone", "secret", "shopweb-secret", "{.metadata.name}", "<absent>");
    awaitOnMembers("the service gone", "service", "shopweb", "{.metadata.name}", "<absent>");
  }
}
