package dev.meridian.members.kubernetes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import dev.meridian.members.ApplyResult;
import dev.meridian.members.Manifests;
import dev.meridian.members.MemberCluster;
import dev.meridian.members.MemberEventListener;
import dev.meridian.members.MemberException;
import dev.meridian.members.MemberTimeouts;
import dev.meridian.members.MemberWatch;
import dev.meridian.members.ProbeResult;
import dev.meridian.members.ResourceRef;
import dev.meridian.members.WatchTarget;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A real cluster reached through fabric8's client, made by {@link KubernetesMembers}. Objects go
 * over the wire as fabric8's generic resources and come back as Jackson trees.
 */
public final class KubernetesMember implements MemberCluster {
  private final String name;
  private final Kubeconfig kubeconfig;
  private final KubernetesClient client;
  private final MemberTimeouts timeouts;
  private final Executor tasks;
  private final Vertx vertx;
  private final Consumer<KubernetesMember> onClose;
  private final KubernetesSerialization serialization;
  private final ApiDiscovery discovery;
  private final Set<KubernetesWatch> watches = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  KubernetesMember(
      String name,
      Kubeconfig kubeconfig,
      KubernetesClient client,
      MemberTimeouts timeouts,
      Executor tasks,
      Vertx vertx,
      Consumer<KubernetesMember> onClose) {
    this.name = name;
    this.kubeconfig = kubeconfig;
    this.client = client;
    this.timeouts = timeouts;
    this.tasks = tasks;
    this.vertx = vertx;
    this.onClose = onClose;
    this.serialization = client.getKubernetesSerialization();
    this.discovery = new ApiDiscovery(name, client);
  }

  @Override
  public String name() {
    return name;
  }

  /** The API server's URL. */
  public String server() {
    return kubeconfig.server();
  }

  /** Where namespaced objects without a namespace go: the kubeconfig context's namespace. */
  public String defaultNamespace() {
    return kubeconfig.namespace();
  }

  public MemberTimeouts timeouts() {
    return timeouts;
  }

  @Override
  public ApplyResult apply(ObjectNode manifest) {
    ObjectNode body = Manifests.forApply(name, manifest);
    return call(
        () -> {
          ResourceDefinitionContext rdc = discovery.resolve(Meta.apiVersion(body), Meta.kind(body));
          String ns = namespaceFor(rdc, Meta.namespace(body));
          if (rdc.isNamespaceScoped()) {
            Meta.metadata(body).put("namespace", ns);
          } else {
            Meta.metadata(body).remove("namespace");
          }
          GenericKubernetesResource item =
              serialization.unmarshal(ResourceCodec.toJson(body), GenericKubernetesResource.class);
          GenericKubernetesResource live;
          try {
            live =
                scoped(rdc, ns)
                    .resource(item)
                    .fieldManager(FIELD_MANAGER)
                    .forceConflicts()
                    .serverSideApply();
          } catch (RuntimeException e) {
            MemberException me = KubernetesFailures.translate(name, server(), e);
            if (me.isNotFound()) {
              // the kind may be gone (CRD removed): look it up afresh next time
              discovery.forget(Meta.apiVersion(body));
            }
            throw me;
          }
          return new ApplyResult(toNode(live));
        });
  }

  @Override
  public boolean delete(ResourceRef ref) {
    return call(
        () -> {
          Optional<ResourceDefinitionContext> rdc = discovery.find(ref.apiVersion(), ref.kind());
          if (rdc.isEmpty()) {
            return false; // the member does not even serve the kind
          }
          List<?> deleted =
              scoped(rdc.get(), namespaceFor(rdc.get(), ref.namespace()))
                  .withName(ref.name())
                  .withPropagationPolicy(DeletionPropagation.BACKGROUND)
                  .delete();
          return !deleted.isEmpty();
        });
  }

  @Override
  public Optional<ObjectNode> get(ResourceRef ref) {
    return call(
        () -> {
          Optional<ResourceDefinitionContext> rdc = discovery.find(ref.apiVersion(), ref.kind());
          if (rdc.isEmpty()) {
            return Optional.empty();
          }
          GenericKubernetesResource live =
              scoped(rdc.get(), namespaceFor(rdc.get(), ref.namespace()))
                  .withName(ref.name())
                  .get();
          return Optional.ofNullable(live).map(this::toNode);
        });
  }

  @Override
  public MemberWatch watch(WatchTarget target, MemberEventListener listener) {
    checkOpen();
    KubernetesWatch w = new KubernetesWatch(this, target, listener, tasks, vertx);
    watches.add(w);
    if (closed) {
      w.close();
      throw MemberException.closed(name);
    }
    w.start();
    return w;
  }

  @Override
  public ProbeResult probe() {
    checkOpen();
    return new KubernetesProbe(name, server(), client.getHttpClient(), timeouts).run();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (KubernetesWatch w : List.copyOf(watches)) {
      w.close();
    }
    client.close();
    onClose.accept(this);
  }

  @Override
  public String toString() {
    return "KubernetesMember[" + name + " " + server() + "]";
  }

  ApiDiscovery discovery() {
    return discovery;
  }

  SharedIndexInformer<GenericKubernetesResource> informerFor(
      ResourceDefinitionContext rdc, WatchTarget target) {
    MixedOperation<
            GenericKubernetesResource,
            GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>>
        op = client.genericKubernetesResources(rdc);
    if (rdc.isNamespaceScoped() && !target.namespace().isEmpty()) {
      return op.inNamespace(target.namespace()).runnableInformer(0);
    }
    return op.inAnyNamespace().runnableInformer(0);
  }

  void forget(KubernetesWatch w) {
    watches.remove(w);
  }

  ObjectNode toNode(GenericKubernetesResource r) {
    try {
      ObjectNode node = (ObjectNode) ResourceCodec.JSON.readTree(serialization.asJson(r));
      return Manifests.withoutManagedFields(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String namespaceFor(ResourceDefinitionContext rdc, String requested) {
    if (!rdc.isNamespaceScoped()) {
      return "";
    }
    return requested == null || requested.isEmpty() ? kubeconfig.namespace() : requested;
  }

  private NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      scoped(ResourceDefinitionContext rdc, String ns) {
    MixedOperation<
            GenericKubernetesResource,
            GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>>
        op = client.genericKubernetesResources(rdc);
    return rdc.isNamespaceScoped() ? op.inNamespace(ns) : op;
  }

  private <T> T call(Supplier<T> body) {
    checkOpen();
    try {
      return body.get();
    } catch (MemberException e) {
      throw e;
    } catch (RuntimeException e) {
      throw KubernetesFailures.translate(name, server(), e);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw MemberException.closed(name);
    }
  }
}
