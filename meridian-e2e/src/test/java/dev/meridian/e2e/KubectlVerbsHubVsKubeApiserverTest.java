package dev.meridian.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.api.ResourceCodec;
import dev.meridian.app.Main;
import dev.meridian.hub.Hub;
import dev.meridian.hub.HubOptions;
import dev.meridian.members.RealClusters;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl's everyday verbs, run step by step against the hub and, as the reference, against a plain
 * kube-apiserver of the pinned version: after every step both answer with the same exit code, and
 * the objects agree: labels and annotations (kubectl's last-applied configuration included) and the
 * containers exactly, and every field the hub holds equal to the reference's (the reference adds
 * its defaults, which the hub, storing templates as written, does not).
 */
class KubectlVerbsHubVsKubeApiserverTest {
  @TempDir static Path dir;
  static RealClusters real;
  static Hub hub;
  static Path kubectl;
  static Path hubConfig;
  static Path kubeConfig;

  @BeforeAll
  static void start() throws Exception {
    real = RealClusters.start(1);
    hub = Hub.start(HubOptions.of(dir.resolve("hub"), "127.0.0.1", 0).withControllers(false));
    kubectl = KubernetesBinaries.bin("kubectl");
    hubConfig = hub.kubeconfig();
    kubeConfig = real.get(0).kubeconfig();
    for (Path config : List.of(hubConfig, kubeConfig)) {
      Main.Result created = run(config, Map.of(), "create", "namespace", "demo"); // protobuf
      assertThat(created.code()).as(created.err()).isZero();
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

  static final String V1 =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: demo, labels: {app: web, stage: one}}
      spec:
        replicas: 3
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
            - name: web
              image: nginx:1.27
              env: [{name: A, value: "1"}, {name: B, value: "2"}]
              ports: [{containerPort: 80}]
            - name: side
              image: busybox:1.36
              args: [sleep, "3600"]
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: cfg, namespace: demo}
      data: {one: "1", two: "2"}
      """;

  // the side container, env B and data two removed; env C added; image and a label changed
  static final String V2 =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: demo, labels: {app: web, stage: two}}
      spec:
        replicas: 3
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
            - name: web
              image: nginx:1.28
              env: [{name: C, value: "3"}, {name: A, value: "1"}]
              ports: [{containerPort: 80}]
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: cfg, namespace: demo}
      data: {one: "1", three: "3"}
      """;

  static final String V3 = V2.replace("replicas: 3", "replicas: 6");

  record Step(String what, int exitCode, String... args) {}

  @Test
  void everyVerbLeavesTheSameObjectOnTheHubAsOnKubeApiserver() throws Exception {
    Path v1 = write("v1.yaml", V1);
    Path v2 = write("v2.yaml", V2);
    Path v3 = write("v3.yaml", V3);
    Path editor =
        write("editor.sh", "#!/bin/sh\nsed -i 's/replicas: [0-9]*/replicas: 4/' \"$1\"\n");
    editor.toFile().setExecutable(true);
    List<Step> steps =
        List.of(
            new Step("apply creates", 0, "apply", "-f", v1.toString()),
            new Step("apply again changes nothing", 0, "apply", "-f", v1.toString()),
            new Step(
                "apply removes a container, an env entry, a data key",
                0,
                "apply",
                "-f",
                v2.toString()),
            new Step("label", 0, "label", "deploy", "web", "-n", "demo", "tier=gold"),
            new Step("annotate", 0, "annotate", "deploy", "web", "-n", "demo", "note=hello"),
            new Step("set image", 0, "set", "image", "deploy/web", "-n", "demo", "web=nginx:1.29"),
            new Step("scale", 0, "scale", "deploy/web", "-n", "demo", "--replicas=5"),
            new Step(
                "scale with a precondition (read, then update)",
                0,
                "scale",
                "deploy/web",
                "-n",
                "demo",
                "--current-replicas=5",
                "--replicas=2"),
            new Step(
                "scale with a precondition that does not hold",
                1,
                "scale",
                "deploy/web",
                "-n",
                "demo",
                "--current-replicas=7",
                "--replicas=1"),
            new Step(
                "patch (strategic, kubectl's default)",
                0,
                "patch",
                "deploy",
                "web",
                "-n",
                "demo",
                "-p",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"web\",\"env\":[{\"name\":\"D\",\"value\":\"4\"}]}]}}}}"),
            new Step(
                "patch deleting by merge key",
                0,
                "patch",
                "deploy",
                "web",
                "-n",
                "demo",
                "-p",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"web\",\"env\":[{\"name\":\"A\",\"$patch\":\"delete\"}]}]}}}}"),
            new Step("diff shows a change (exit 1)", 1, "diff", "-f", v3.toString()),
            new Step(
                "apply --dry-run=server stores nothing",
                0,
                "apply",
                "--dry-run=server",
                "-f",
                v3.toString()),
            new Step("edit", 0, "edit", "deploy", "web", "-n", "demo"),
            new Step("label removed", 0, "label", "deploy", "web", "-n", "demo", "tier-"),
            new Step("apply after the imperative changes", 0, "apply", "-f", v3.toString()),
            new Step("diff of what is applied is empty (exit 0)", 0, "diff", "-f", v3.toString()),
            new Step(
                "patch with an unknown directive is refused",
                1,
                "patch",
                "deploy",
                "web",
                "-n",
                "demo",
                "-p",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"web\",\"$patch\":\"frobnicate\"}]}}}}"));
    Map<String, String> env = Map.of("KUBE_EDITOR", editor.toString());
    for (Step step : steps) {
      Main.Result onHub = run(hubConfig, env, step.args());
      Main.Result onKube = run(kubeConfig, env, step.args());
      assertThat(onKube.code())
          .as("%s on kube-apiserver: %s%s", step.what(), onKube.out(), onKube.err())
          .isEqualTo(step.exitCode());
      assertThat(onHub.code())
          .as("%s on the hub: %s%s", step.what(), onHub.out(), onHub.err())
          .isEqualTo(step.exitCode());
      for (String obj : List.of("deploy/web", "cm/cfg")) {
        JsonNode h = get(hubConfig, obj);
        JsonNode k = get(kubeConfig, obj);
        assertThat(h.path("metadata").path("labels"))
            .as("%s: labels of %s", step.what(), obj)
            .isEqualTo(k.path("metadata").path("labels"));
        assertThat(h.path("metadata").path("annotations"))
            .as("%s: annotations of %s", step.what(), obj)
            .isEqualTo(k.path("metadata").path("annotations"));
        assertThat(h.path("data")).as("%s: data of %s", step.what(), obj).isEqualTo(k.path("data"));
        assertThat(containers(h))
            .as("%s: containers of %s", step.what(), obj)
            .isEqualTo(containers(k));
        assertThat(managers(h))
            .as("%s: field managers of %s", step.what(), obj)
            .isEqualTo(managers(k));
        List<String> differences = new ArrayList<>();
        subset(h.path("spec"), k.path("spec"), "spec", differences);
        assertThat(differences)
            .as("%s: %s on the hub, not on kube-apiserver", step.what(), obj)
            .isEmpty();
      }
    }
    // and the steps did what they say
    JsonNode web = get(hubConfig, "deploy/web");
    assertThat(web.path("spec").path("replicas").asInt()).isEqualTo(6);
    assertThat(web.path("metadata").path("annotations").path("note").asText()).isEqualTo("hello");
    // the last apply set the image and env C and A again; D, which no apply ever named, stays
    assertThat(containers(web))
        .containsExactly(
            "web nginx:1.28  [{\"name\":\"D\",\"value\":\"4\"},{\"name\":\"C\",\"value\":\"3\"},{\"name\":\"A\",\"value\":\"1\"}]");
  }

  @Test
  void kubectlsGeneratorsSendProtobufThatTheHubReadsAsKubeApiserverDoes() throws Exception {
    // kubectl create KIND NAME … builds typed objects and sends them as protobuf
    List<List<String>> generators =
        List.of(
            List.of("create", "namespace", "gen"),
            List.of(
                "create",
                "configmap",
                "gen-cm",
                "-n",
                "demo",
                "--from-literal=a=1",
                "--from-literal=empty="),
            List.of(
                "create",
                "secret",
                "generic",
                "gen-secret",
                "-n",
                "demo",
                "--from-literal=password=s3cr3t"),
            List.of(
                "create",
                "deployment",
                "gen-deploy",
                "-n",
                "demo",
                "--image=nginx:1.27",
                "--replicas=0",
                "--port=80"),
            List.of("create", "service", "nodeport", "gen-svc", "-n", "demo", "--tcp=80:8080"),
            List.of(
                "create", "job", "gen-job", "-n", "demo", "--image=busybox", "--", "echo", "hi"),
            List.of(
                "create",
                "cronjob",
                "gen-cron",
                "-n",
                "demo",
                "--image=busybox",
                "--schedule=*/5 * * * *"),
            List.of("create", "serviceaccount", "gen-sa", "-n", "demo"),
            List.of(
                "create", "role", "gen-role", "-n", "demo", "--verb=get", "--resource=configmaps"),
            List.of(
                "create",
                "poddisruptionbudget",
                "gen-pdb",
                "-n",
                "demo",
                "--selector=app=web",
                "--min-available=1"),
            List.of("create", "clusterrole", "gen-cr", "--verb=list", "--resource=pods"),
            List.of("create", "ingress", "gen-ing", "-n", "demo", "--rule=shop.example/=web:80"));
    for (List<String> g : generators) {
      String[] args = g.toArray(String[]::new);
      Main.Result onKube = run(kubeConfig, Map.of(), args);
      Main.Result onHub = run(hubConfig, Map.of(), args);
      assertThat(onKube.code()).as("%s on kube-apiserver: %s", g, onKube.err()).isZero();
      assertThat(onHub.code()).as("%s on the hub: %s", g, onHub.err()).isZero();
      String kind = g.get(1);
      String name = g.get(kind.equals("secret") || kind.equals("service") ? 3 : 2);
      String object = (kind.equals("service") ? "service" : kind) + "/" + name;
      JsonNode h = get(hubConfig, object);
      JsonNode k = get(kubeConfig, object);
      List<String> differences = new ArrayList<>();
      // (the reference adds defaults: a Job's labels, for one)
      if (h.path("metadata").has("labels")) {
        subset(h.at("/metadata/labels"), k.at("/metadata/labels"), "labels", differences);
      }
      for (String part : List.of("spec", "data", "rules", "value", "selector")) {
        if (h.has(part) || k.has(part)) {
          subset(h.path(part), k.path(part), part, differences);
        }
      }
      assertThat(differences).as("%s: on the hub, not on kube-apiserver", g).isEmpty();
      if (kind.equals("deployment")) {
        // a pointer set to zero stays; fields Go's JSON leaves out when zero are left out
        assertThat(h.at("/spec/replicas").asInt(-1)).isZero();
        assertThat(h.at("/spec/template/spec/containers/0/ports/0").has("hostPort")).isFalse();
      }
      if (kind.equals("service")) {
        assertThat(h.at("/spec/ports/0").has("nodePort")).as("no nodePort: 0").isFalse();
      }
    }
  }

  @Test
  void applyPruneDeletesWhatTheFilesNoLongerHold() throws Exception {
    String two =
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: keep, namespace: demo, labels: {set: pruned}}
        data: {a: "1"}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: drop, namespace: demo, labels: {set: pruned}}
        data: {a: "1"}
        """;
    Path both = write("prune-both.yaml", two);
    Path one = write("prune-one.yaml", two.substring(0, two.indexOf("---")));
    for (Path config : List.of(kubeConfig, hubConfig)) {
      Main.Result first =
          run(config, Map.of(), "apply", "-f", both.toString(), "-l", "set=pruned", "--prune");
      Main.Result second =
          run(config, Map.of(), "apply", "-f", one.toString(), "-l", "set=pruned", "--prune");
      Main.Result left =
          run(config, Map.of(), "get", "cm", "-n", "demo", "-l", "set=pruned", "-o", "name");
      assertThat(first.code()).as("%s: %s", config, first.err()).isZero();
      assertThat(second.code()).as("%s: %s", config, second.err()).isZero();
      assertThat(second.out()).contains("configmap/drop pruned");
      assertThat(left.out().strip()).as("%s", config).isEqualTo("configmap/keep");
    }
  }

  static final String SSA_V1 =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: ssa, namespace: demo, labels: {app: ssa}}
      spec:
        replicas: 3
        selector: {matchLabels: {app: ssa}}
        template:
          metadata: {labels: {app: ssa}}
          spec:
            containers:
            - name: web
              image: nginx:1.27
              env: [{name: A, value: "1"}, {name: B, value: "2"}]
      """;

  static final String CSA_V1 =
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: upgraded, namespace: demo}\n"
          + "data: {one: \"1\", two: \"2\"}\n";

  @Test
  void serverSideApplyOwnsFieldsConflictsAndForcesAsKubeApiserverDoes() throws Exception {
    Path v1 = write("ssa-v1.yaml", SSA_V1);
    Path v2 = write("ssa-v2.yaml", SSA_V1.replace("nginx:1.27", "nginx:1.28"));
    Path v3 =
        write(
            "ssa-v3.yaml",
            SSA_V1.replace("nginx:1.27", "nginx:1.28").replace(", {name: B, value: \"2\"}", ""));
    Path c1 = write("csa-v1.yaml", CSA_V1);
    Path c2 = write("csa-v2.yaml", CSA_V1.replace("two: \"2\"", "two: \"22\""));
    Path c3 = write("csa-v3.yaml", CSA_V1.replace("one: \"1\"", "one: \"11\""));
    List<Step> steps =
        List.of(
            new Step(
                "apply --server-side creates", 0, "apply", "--server-side", "-f", v1.toString()),
            new Step("again: nothing changes", 0, "apply", "--server-side", "-f", v1.toString()),
            new Step(
                "another manager changes replicas",
                0,
                "patch",
                "deploy",
                "ssa",
                "-n",
                "demo",
                "--type=merge",
                "-p",
                "{\"spec\":{\"replicas\":5}}"),
            new Step(
                "apply of replicas another manager owns: a conflict",
                1,
                "apply",
                "--server-side",
                "-f",
                v2.toString()),
            new Step(
                "--force-conflicts takes it over",
                0,
                "apply",
                "--server-side",
                "--force-conflicts",
                "-f",
                v2.toString()),
            new Step(
                "an env entry no longer applied is removed",
                0,
                "apply",
                "--server-side",
                "-f",
                v3.toString()),
            new Step("client-side apply", 0, "apply", "-f", c1.toString()),
            new Step(
                "server-side apply takes over from client-side apply",
                0,
                "apply",
                "--server-side",
                "-f",
                c2.toString()),
            new Step(
                "a second applier's different value: a conflict",
                1,
                "apply",
                "--server-side",
                "--field-manager=other",
                "-f",
                c3.toString()));
    for (Step step : steps) {
      Main.Result onKube = run(kubeConfig, Map.of(), step.args());
      Main.Result onHub = run(hubConfig, Map.of(), step.args());
      assertThat(onKube.code())
          .as("%s on kube-apiserver: %s%s", step.what(), onKube.out(), onKube.err())
          .isEqualTo(step.exitCode());
      assertThat(onHub.code())
          .as("%s on the hub: %s%s", step.what(), onHub.out(), onHub.err())
          .isEqualTo(step.exitCode());
      if (step.exitCode() == 1) {
        // the same conflicts in the same words (the times of Update managers aside)
        assertThat(E2e.conflictLines(onHub.err()))
            .as(step.what())
            .isNotEmpty()
            .isEqualTo(E2e.conflictLines(onKube.err()));
      }
      for (String obj : List.of("deploy/ssa", "cm/upgraded")) {
        Main.Result hubGet =
            run(
                hubConfig,
                Map.of(),
                "get",
                obj,
                "-n",
                "demo",
                "-o",
                "json",
                "--show-managed-fields");
        Main.Result kubeGet =
            run(
                kubeConfig,
                Map.of(),
                "get",
                obj,
                "-n",
                "demo",
                "-o",
                "json",
                "--show-managed-fields");
        assertThat(hubGet.code())
            .as("%s: %s on the hub", step.what(), obj)
            .isEqualTo(kubeGet.code());
        if (kubeGet.code() != 0) {
          continue;
        }
        JsonNode h = ResourceCodec.JSON.readTree(hubGet.out());
        JsonNode k = ResourceCodec.JSON.readTree(kubeGet.out());
        assertThat(managers(h)).as("%s: managers of %s", step.what(), obj).isEqualTo(managers(k));
        assertThat(containers(h))
            .as("%s: containers of %s", step.what(), obj)
            .isEqualTo(containers(k));
        assertThat(h.path("data")).as("%s: data of %s", step.what(), obj).isEqualTo(k.path("data"));
        assertThat(h.at("/spec/replicas"))
            .as("%s: replicas", step.what())
            .isEqualTo(k.at("/spec/replicas"));
      }
    }
  }

  /** {@code manager/operation[/subresource]} of each managedFields entry, sorted. */
  static List<String> managers(JsonNode o) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : o.path("metadata").path("managedFields")) {
      String sub = e.path("subresource").asText("");
      out.add(
          e.path("manager").asText()
              + "/"
              + e.path("operation").asText()
              + (sub.isEmpty() ? "" : "/" + sub));
    }
    out.sort(null);
    return out;
  }

  /** name, image, args and env of each container, in order. */
  static List<String> containers(JsonNode o) {
    List<String> out = new ArrayList<>();
    for (JsonNode c : o.path("spec").path("template").path("spec").path("containers")) {
      out.add(
          c.path("name").asText()
              + " "
              + c.path("image").asText()
              + " "
              + c.path("args")
              + " "
              + c.path("env"));
    }
    return out;
  }

  /** Every field of {@code hub} is in {@code kube} with the same value; lists of equal length. */
  static void subset(JsonNode hub, JsonNode kube, String path, List<String> out) {
    if (hub.isObject()) {
      hub.properties()
          .forEach(
              e -> {
                JsonNode k = kube.get(e.getKey());
                if (k == null) {
                  out.add(path + "." + e.getKey());
                } else {
                  subset(e.getValue(), k, path + "." + e.getKey(), out);
                }
              });
    } else if (hub.isArray()) {
      if (!kube.isArray() || kube.size() != hub.size()) {
        out.add(path + " (" + hub + " vs " + kube + ")");
        return;
      }
      for (int i = 0; i < hub.size(); i++) {
        subset(hub.get(i), kube.get(i), path + "[" + i + "]", out);
      }
    } else if (!(hub.isNumber() && kube.isNumber()
        ? hub.decimalValue().compareTo(kube.decimalValue()) == 0
        : hub.equals(kube))) {
      out.add(path + " (" + hub + " vs " + kube + ")");
    }
  }

  static JsonNode get(Path config, String obj) throws Exception {
    Main.Result r =
        run(config, Map.of(), "get", obj, "-n", "demo", "-o", "json", "--show-managed-fields");
    assertThat(r.code()).as(r.err()).isZero();
    return ResourceCodec.JSON.readTree(r.out());
  }

  static Path write(String name, String content) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, content);
    return f;
  }

  static Main.Result run(Path config, Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(kubectl.toString(), "--kubeconfig=" + config));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().putAll(env);
    pb.environment().put("KUBECTL_EXTERNAL_DIFF", "diff -u");
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("kubectl finished").isTrue();
    return new Main.Result(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
