package dev.meridian.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.app.Main;
import dev.meridian.hub.Hub;
import dev.meridian.hub.HubOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real kubectl, built from the Kubernetes sources, pointed at the hub with its token. */
class KubectlAgainstHubTest {
  @TempDir static Path dir;
  static Hub hub;
  static Path kubeconfig;

  @BeforeAll
  static void startHubWithSampleObjects() throws Exception {
    // the API surface only: no controller changes the objects kubectl reads here
    hub = Hub.start(HubOptions.of(dir.resolve("hub"), "127.0.0.1", 0).withControllers(false));
    // the kubeconfig the hub writes for its admin, as a user would use it
    kubeconfig = hub.kubeconfig();

    Path manifests = Path.of("..", "examples").toAbsolutePath().normalize();
    Main.Result applied = meridian("apply", "-f", manifests.toString());
    assertThat(applied.code()).as(applied.err()).isZero();
  }

  @AfterAll
  static void stop() {
    hub.close();
  }

  static Path writeKubeconfig(String name, String token) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: hub
          cluster: {server: %s, certificate-authority: %s}
        users:
        - name: admin
          user: {token: %s}
        contexts:
        - name: hub
          context: {cluster: hub, user: admin}
        current-context: hub
        """
            .formatted(hub.url(), hub.caFile(), token));
    return file;
  }

  static Main.Result meridian(String... args) {
    return Main.capture(hub.clientEnvironment(), args);
  }

  static Main.Result kubectl(Path config, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(KubernetesBinaries.bin("kubectl").toString());
    cmd.add("--kubeconfig=" + config);
    cmd.add("--cache-dir=" + dir.resolve("kubectl-cache"));
    cmd.addAll(List.of(args));
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(dir.resolve("out.txt").toFile())
            .redirectError(dir.resolve("err.txt").toFile())
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("kubectl finished").isTrue();
    return new Main.Result(
        p.exitValue(),
        Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
        Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
  }

  @Test
  void listsMeridianKindsWithTheirColumns() throws Exception {
    // When
    Main.Result run = kubectl(kubeconfig, "get", "clusters");
    // Then
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out().lines().findFirst().orElse(""))
        .contains("NAME")
        .contains("READY")
        .contains("COUNTRY")
        .contains("AGE");
    assertThat(run.out()).contains("eu-west-1").contains("us-east-1").contains("ap-south-1");
    assertThat(run.out()).containsPattern("eu-west-1\\s+Unknown\\s+yes\\s+eu-west\\s+DE");
  }

  @Test
  void getsByShortNameLabelAndAsJson() throws Exception {
    Main.Result shortName = kubectl(kubeconfig, "get", "mc", "-l", "tier in (gold)", "-o", "name");
    Main.Result json =
        kubectl(
            kubeconfig,
            "get",
            "cluster.fleet.meridian.dev",
            "ap-south-1",
            "-o",
            "jsonpath={.spec.location.country}");
    assertThat(shortName.code()).as(shortName.err()).isZero();
    assertThat(shortName.out().lines().sorted().toList())
        .containsExactly(
            "cluster.fleet.meridian.dev/eu-west-1", "cluster.fleet.meridian.dev/us-east-1");
    assertThat(json.out()).isEqualTo("IN");
  }

  @Test
  void getsTemplatesInNamespaces() throws Exception {
    Main.Result deploys = kubectl(kubeconfig, "get", "deployments", "-n", "shop");
    Main.Result all = kubectl(kubeconfig, "get", "propagationpolicies", "-A");
    Main.Result image =
        kubectl(
            kubeconfig,
            "get",
            "deploy",
            "web",
            "-n",
            "shop",
            "-o",
            "jsonpath={.spec.template.spec.containers[0].image}");
    assertThat(deploys.code()).as(deploys.err()).isZero();
    assertThat(deploys.out()).contains("web");
    assertThat(all.out()).contains("shop").contains("web");
    assertThat(image.out()).isEqualTo("nginx:1.27");
  }

  @Test
  void discoversTheApi() throws Exception {
    Main.Result resources = kubectl(kubeconfig, "api-resources", "--api-group=fleet.meridian.dev");
    Main.Result version = kubectl(kubeconfig, "version", "-o", "json");
    assertThat(resources.code()).as(resources.err()).isZero();
    assertThat(resources.out()).contains("clusters").contains("mc").contains("Cluster");
    assertThat(version.out()).contains("meridian");
  }

  @Test
  void explainsBuiltInKindsWithKubernetesOwnSchemaAndMeridianKindsWithTheirs() throws Exception {
    // When
    Main.Result containers =
        kubectl(kubeconfig, "explain", "deployment.spec.template.spec.containers.env");
    Main.Result policy = kubectl(kubeconfig, "explain", "propagationpolicy.spec.placement");
    // Then
    assertThat(containers.code()).as(containers.err()).isZero();
    assertThat(containers.out())
        .contains("KIND:       Deployment")
        .contains("List of environment variables to set in the container")
        .contains("valueFrom");
    assertThat(policy.code()).as(policy.err()).isZero();
    assertThat(policy.out()).contains("clusterAffinity");
  }

  @Test
  void appliesMeridianKindsClientSideWithAMergePatch() throws Exception {
    // Given a ResidencyPolicy applied with kubectl, then changed
    Path rp = dir.resolve("rp.yaml");
    String v1 =
        """
        apiVersion: policy.meridian.dev/v1alpha1
        kind: ResidencyPolicy
        metadata: {name: kubectl-applied}
        spec:
          resourceSelector: {matchLabels: {data: personal}}
          allowedLocations: {countries: [DE, FR]}
        """;
    Files.writeString(rp, v1);
    Main.Result first = kubectl(kubeconfig, "apply", "-f", rp.toString());
    Files.writeString(rp, v1.replace("[DE, FR]", "[DE]"));
    // When
    Main.Result second = kubectl(kubeconfig, "apply", "-f", rp.toString());
    Main.Result countries =
        kubectl(
            kubeconfig,
            "get",
            "residencypolicy",
            "kubectl-applied",
            "-o",
            "jsonpath={.spec.allowedLocations.countries}");
    // Then
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(second.out()).contains("configured");
    assertThat(countries.out()).isEqualTo("[\"DE\"]");
  }

  @Test
  void waitsForAChangeAndWatchesIt() throws Exception {
    // Given: kubectl get -w running, and a ConfigMap that does not say ready yet
    Path cm = dir.resolve("watched.yaml");
    Files.writeString(
        cm,
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: watched, namespace: shop}\ndata: {state: starting}\n");
    assertThat(kubectl(kubeconfig, "create", "-f", cm.toString()).code()).isZero();
    Path watchOut = dir.resolve("watch.txt");
    Process watch =
        new ProcessBuilder(
                KubernetesBinaries.bin("kubectl").toString(),
                "--kubeconfig=" + kubeconfig,
                "get",
                "cm",
                "watched",
                "-n",
                "shop",
                "-w",
                "--output-watch-events",
                "-o",
                "jsonpath={.type} {.object.data.state}{\"\\n\"}")
            .redirectOutput(watchOut.toFile())
            .redirectErrorStream(true)
            .start();
    try {
      // When: the change comes while kubectl wait waits for it
      Thread later =
          new Thread(
              () -> {
                try {
                  Thread.sleep(1500);
                  // (the state is kubectl-create's: meridian apply takes it over)
                  meridian(
                      "apply",
                      "--force-conflicts",
                      "-f",
                      write("ready.yaml", Files.readString(cm).replace("starting", "ready")));
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      later.start();
      Main.Result waited =
          kubectl(
              kubeconfig,
              "wait",
              "--for=jsonpath={.data.state}=ready",
              "cm/watched",
              "-n",
              "shop",
              "--timeout=30s");
      later.join();
      // Then
      assertThat(waited.code()).as(waited.err()).isZero();
      assertThat(waited.out()).contains("condition met");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!Files.readString(watchOut).contains("MODIFIED ready")
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(Files.readString(watchOut)).contains("ADDED starting").contains("MODIFIED ready");
    } finally {
      watch.destroy();
    }
  }

  static String write(String name, String content) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, content);
    return f.toString();
  }

  @Test
  void createsAndDeletesThroughTheHub() throws Exception {
    // Given
    Path cm = dir.resolve("cm.yaml");
    Files.writeString(
        cm,
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-kubectl, namespace: shop}\ndata: {k: v}\n");
    // When
    Main.Result created = kubectl(kubeconfig, "create", "-f", cm.toString());
    Main.Result seenByMeridian =
        meridian("get", "configmap", "from-kubectl", "-n", "shop", "-o", "json");
    Main.Result deleted = kubectl(kubeconfig, "delete", "configmap", "from-kubectl", "-n", "shop");
    Main.Result gone = meridian("get", "configmap", "from-kubectl", "-n", "shop");
    // Then
    assertThat(created.code()).as(created.err()).isZero();
    assertThat(seenByMeridian.code()).as(seenByMeridian.err()).isZero();
    assertThat(seenByMeridian.out())
        .contains("from-kubectl")
        .containsPattern("\"k\"\\s*:\\s*\"v\"");
    assertThat(deleted.code()).as(deleted.err()).isZero();
    assertThat(gone.code()).isNotZero();
  }

  @Test
  void patchesReplacesAndAppliesServerSide() throws Exception {
    // Given
    Path cm = dir.resolve("cm2.yaml");
    Files.writeString(
        cm,
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: edited, namespace: shop}\ndata: {k: v1}\n");
    kubectl(kubeconfig, "create", "-f", cm.toString());
    // When
    Main.Result merge =
        kubectl(
            kubeconfig,
            "patch",
            "cm",
            "edited",
            "-n",
            "shop",
            "--type=merge",
            "-p",
            "{\"data\":{\"k\":\"v2\"}}");
    Main.Result json =
        kubectl(
            kubeconfig,
            "patch",
            "mc",
            "eu-west-1",
            "--type=json",
            "-p",
            "[{\"op\":\"add\",\"path\":\"/metadata/labels/patched\",\"value\":\"yes\"}]");
    Files.writeString(
        cm,
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: edited, namespace: shop}\ndata: {k: v3}\n");
    Main.Result replaced = kubectl(kubeconfig, "replace", "-f", cm.toString());
    Main.Result value =
        kubectl(kubeconfig, "get", "cm", "edited", "-n", "shop", "-o", "jsonpath={.data.k}");
    Main.Result label = kubectl(kubeconfig, "get", "mc", "-l", "patched=yes", "-o", "name");
    Main.Result apply = kubectl(kubeconfig, "apply", "--server-side", "-f", cm.toString());
    // Then
    assertThat(merge.code()).as(merge.err()).isZero();
    assertThat(json.code()).as(json.err()).isZero();
    assertThat(replaced.code()).as(replaced.err()).isZero();
    assertThat(value.out()).isEqualTo("v3");
    assertThat(label.out().strip()).isEqualTo("cluster.fleet.meridian.dev/eu-west-1");
    assertThat(apply.code()).as(apply.err()).isZero();
    assertThat(apply.out()).contains("configmap/edited serverside-applied");
  }

  @Test
  void printsTheHubsWarningsOnAPolicyNamingAClusterTheFleetDoesNotHave() throws Exception {
    // Given
    Path policy = dir.resolve("pp.yaml");
    Files.writeString(
        policy,
        """
        apiVersion: policy.meridian.dev/v1alpha1
        kind: PropagationPolicy
        metadata: {name: warned, namespace: shop}
        spec:
          resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: nothing-yet}]
          placement:
            clusterAffinity: {names: [eu-west-1, mars-1]}
        """);
    // When
    Main.Result created = kubectl(kubeconfig, "create", "-f", policy.toString());
    Main.Result patched =
        kubectl(
            kubeconfig,
            "patch",
            "propagationpolicy",
            "warned",
            "-n",
            "shop",
            "--type=merge",
            "-p",
            "{\"spec\":{\"placement\":{\"clusterAffinity\":{\"names\":[\"venus-1\"]}}}}");
    Main.Result known =
        kubectl(
            kubeconfig,
            "patch",
            "propagationpolicy",
            "warned",
            "-n",
            "shop",
            "--type=json",
            "-p",
            "[{\"op\":\"replace\",\"path\":\"/spec/placement/clusterAffinity/names\",\"value\":[\"us-east-1\"]}]");
    // Then
    assertThat(created.code()).as(created.err()).isZero();
    assertThat(created.err())
        .contains(
            "Warning: spec.placement.clusterAffinity.names[1]: no cluster named \"mars-1\" is known");
    assertThat(patched.code()).as(patched.err()).isZero();
    assertThat(patched.err())
        .contains(
            "Warning: spec.placement.clusterAffinity.names[0]: no cluster named \"venus-1\" is known");
    assertThat(known.code()).as(known.err()).isZero();
    assertThat(known.err()).doesNotContain("Warning");
  }

  @Test
  void isRefusedWithoutTheToken() throws Exception {
    Path wrong = writeKubeconfig("wrong", "not-the-token");
    Main.Result run = kubectl(wrong, "get", "clusters");
    assertThat(run.code()).isNotZero();
    assertThat(run.err()).containsIgnoringCase("unauthorized");
  }
}
