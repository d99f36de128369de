package dev.meridian.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.ResourceType;
import dev.meridian.api.ResourceTypes;
import dev.meridian.controllers.ObjectClient;
import dev.meridian.controllers.propagation.PropagationController;
import dev.meridian.controllers.propagation.SchedulerPlacement;
import dev.meridian.hub.ResourceService;
import dev.meridian.store.embedded.EmbeddedStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One template pass of the propagation controller, on the hub's real store, with failures. */
class PropagationPassTest {
  @TempDir Path dir;
  EmbeddedStore store;
  ResourceService service;
  FailingClient client;
  PropagationController controller;

  /** The hub's client, failing a write of one named object once when armed. */
  static final class FailingClient implements ObjectClient {
    final ObjectClient delegate;
    volatile String failNextWriteOf;

    FailingClient(ObjectClient delegate) {
      this.delegate = delegate;
    }

    private void maybeFail(ObjectNode o) {
      if (Meta.name(o).equals(failNextWriteOf)) {
        failNextWriteOf = null;
        throw new IllegalStateException("injected failure writing " + Meta.name(o));
      }
    }

    @Override
    public Optional<ObjectNode> get(ResourceType type, String namespace, String name) {
      return delegate.get(type, namespace, name);
    }

    @Override
    public List<ObjectNode> list(ResourceType type, String namespace) {
      return delegate.list(type, namespace);
    }

    @Override
    public ObjectNode create(ResourceType type, String namespace, ObjectNode object) {
      maybeFail(object);
      return delegate.create(type, namespace, object);
    }

    @Override
    public ObjectNode update(ResourceType type, String namespace, ObjectNode object) {
      maybeFail(object);
      return delegate.update(type, namespace, object);
    }

    @Override
    public ObjectNode updateStatus(ResourceType type, String namespace, ObjectNode object) {
      return delegate.updateStatus(type, namespace, object);
    }

    @Override
    public void delete(ResourceType type, String namespace, String name) {
      delegate.delete(type, namespace, name);
    }

    @Override
    public AutoCloseable watch(ResourceType type, ObjectListener listener) {
      return delegate.watch(type, listener);
    }
  }

  @BeforeEach
  void open() throws Exception {
    store = EmbeddedStore.open(dir, EmbeddedStore.Options.defaults().withFsync(false));
    service = new ResourceService(store, ResourceTypes.standard(), Clock.systemUTC());
    client = new FailingClient(new HubObjectClient(service));
    controller =
        new PropagationController(
            client, service.types(), new SchedulerPlacement(), Clock.systemUTC());
    create(
        "v1",
        "Namespace",
        "",
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"shop\"}}");
    for (String c : List.of("a", "b", "c")) {
      ObjectNode cluster =
          create(
              "fleet.meridian.dev/v1alpha1",
              "Cluster",
              "",
              """
              {"apiVersion":"fleet.meridian.dev/v1alpha1","kind":"Cluster","metadata":{"name":"%s"},
               "spec":{"connection":{"simulated":{}},"location":{"region":"r","country":"DE"}}}"""
                  .formatted(c));
      cluster
          .putObject("status")
          .putArray("conditions")
          .addObject()
          .put("type", "Ready")
          .put("status", "True");
      client.updateStatus(type("fleet.meridian.dev/v1alpha1", "Cluster"), "", cluster);
    }
    create(
        "apps/v1",
        "Deployment",
        "shop",
        """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"shop"},
         "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
          "template":{"metadata":{"labels":{"app":"web"}},
           "spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}}""");
  }

  @AfterEach
  void close() {
    store.close();
  }

  ResourceType type(String apiVersion, String kind) {
    return service.types().byKind(apiVersion, kind).orElseThrow();
  }

  ObjectNode create(String apiVersion, String kind, String ns, String json) throws Exception {
    return client.create(
        type(apiVersion, kind), ns, (ObjectNode) ResourceCodec.JSON.readTree(json));
  }

  void policy(String... clusters) throws Exception {
    ObjectNode pp =
        (ObjectNode)
            ResourceCodec.JSON.readTree(
                """
                {"apiVersion":"policy.meridian.dev/v1alpha1","kind":"PropagationPolicy",
                 "metadata":{"name":"web","namespace":"shop"},
                 "spec":{"resourceSelectors":[{"apiVersion":"apps/v1","kind":"Deployment","name":"web"}],
                  "placement":{"clusterAffinity":{"names":%s}}}}"""
                    .formatted(ResourceCodec.JSON.writeValueAsString(List.of(clusters))));
    ResourceType pps = type("policy.meridian.dev/v1alpha1", "PropagationPolicy");
    Optional<ObjectNode> existing = client.get(pps, "shop", "web");
    if (existing.isPresent()) {
      pp.set("metadata", existing.get().get("metadata"));
      client.update(pps, "shop", pp);
    } else {
      client.create(pps, "shop", pp);
    }
  }

  /** The Works not being deleted (a deleted one waits for its finalizer: the member's cleanup). */
  TreeSet<String> works() {
    TreeSet<String> names = new TreeSet<>();
    for (ObjectNode w : client.list(type("work.meridian.dev/v1alpha1", "Work"), "shop")) {
      if (!Meta.deleting(w)) {
        names.add(Meta.name(w));
      }
    }
    return names;
  }

  static final String KEY =
      PropagationController.TemplateKey.of("apps/v1", "Deployment", "shop", "web").toString();

  @Test
  void aPassThatFailsHalfwayLeavesNoWorkBehindOnAClusterNoLongerChosen() throws Exception {
    // Given: placed on a and b
    policy("a", "b");
    controller.reconcile(KEY);
    assertThat(works()).containsExactly("web-deployment-a", "web-deployment-b");
    // When: the policy moves it from b to c, and the pass fails writing c's Work
    policy("a", "c");
    client.failNextWriteOf = "web-deployment-c";
    assertThatThrownBy(() -> controller.reconcile(KEY)).hasMessageContaining("injected failure");
    // and the retry succeeds
    controller.reconcile(KEY);
    // Then: nothing is left on b
    assertThat(works()).containsExactly("web-deployment-a", "web-deployment-c");
  }
}
