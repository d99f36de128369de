package dev.meridian.members.kubernetes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.members.MemberEvent;
import dev.meridian.members.MemberEventListener;
import dev.meridian.members.MemberException;
import dev.meridian.members.MemberWatch;
import dev.meridian.members.WatchTarget;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vertx.core.Vertx;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A watch backed by one fabric8 informer. Starting never blocks the caller: the kind is looked up
 * and the informer started on the shared task pool, retried with backoff while the member is
 * unreachable. The informer then re-lists and re-watches on its own after any error.
 */
final class KubernetesWatch implements MemberWatch {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesWatch.class);
  private static final long MAX_BACKOFF_MS = 30_000;

  private final KubernetesMember member;
  private final WatchTarget target;
  private final MemberEventListener listener;
  private final Executor tasks;
  private final Vertx timers;
  // held while a listener runs, so that close() returns only when no event is being delivered
  private final ReentrantLock delivery = new ReentrantLock();
  private volatile boolean closed;
  private volatile SharedIndexInformer<GenericKubernetesResource> informer;

  KubernetesWatch(
      KubernetesMember member,
      WatchTarget target,
      MemberEventListener listener,
      Executor tasks,
      Vertx timers) {
    this.member = member;
    this.target = target;
    this.listener = listener;
    this.tasks = tasks;
    this.timers = timers;
  }

  void start() {
    tasks.execute(() -> attempt(1000));
  }

  private void attempt(long backoffMs) {
    if (closed) {
      return;
    }
    try {
      ResourceDefinitionContext rdc =
          member.discovery().resolve(target.apiVersion(), target.kind());
      SharedIndexInformer<GenericKubernetesResource> inf = member.informerFor(rdc, target);
      inf.addEventHandler(new Handler());
      inf.exceptionHandler(
          (started, t) -> {
            report(KubernetesFailures.translate(member.name(), member.server(), t));
            return !closed;
          });
      synchronized (this) {
        if (closed) {
          return;
        }
        informer = inf;
      }
      inf.start();
    } catch (RuntimeException e) {
      report(KubernetesFailures.translate(member.name(), member.server(), e));
      retryLater(backoffMs);
    }
  }

  private void retryLater(long backoffMs) {
    if (closed) {
      return;
    }
    long next = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    try {
      timers.setTimer(backoffMs, id -> tasks.execute(() -> attempt(next)));
    } catch (RuntimeException e) {
      // the factory is closing: nothing left to watch with
    }
  }

  private void report(MemberException e) {
    if (closed) {
      return;
    }
    LOG.debug("watch {} on {}: {}", target, member.name(), e.getMessage());
    try {
      listener.onError(e);
    } catch (RuntimeException ex) {
      LOG.warn("watch listener failed on error of {} on {}", target, member.name(), ex);
    }
  }

  private void deliver(MemberEvent.Type type, GenericKubernetesResource obj) {
    deliver(type, obj, false);
  }

  private void deliver(MemberEvent.Type type, GenericKubernetesResource obj, boolean unknownWhen) {
    if (closed) {
      return;
    }
    ObjectNode node = member.toNode(obj);
    if (unknownWhen) {
      node = MemberEvent.deletedAtUnknownVersion(node); // seen gone on a re-list
    }
    delivery.lock();
    try {
      if (!closed) {
        listener.onEvent(new MemberEvent(type, node));
      }
    } catch (RuntimeException e) {
      LOG.warn("watch listener failed on {} of {} on {}", type, target, member.name(), e);
    } finally {
      delivery.unlock();
    }
  }

  private final class Handler implements ResourceEventHandler<GenericKubernetesResource> {
    @Override
    public void onAdd(GenericKubernetesResource obj) {
      deliver(MemberEvent.Type.ADDED, obj);
    }

    @Override
    public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource obj) {
      Function<GenericKubernetesResource, String> rv = o -> o.getMetadata().getResourceVersion();
      if (old != null && rv.apply(old) != null && rv.apply(old).equals(rv.apply(obj))) {
        return; // a re-list that found nothing new
      }
      deliver(MemberEvent.Type.MODIFIED, obj);
    }

    @Override
    public void onDelete(GenericKubernetesResource obj, boolean finalStateUnknown) {
      deliver(MemberEvent.Type.DELETED, obj, finalStateUnknown);
    }
  }

  @Override
  public WatchTarget target() {
    return target;
  }

  @Override
  public boolean isSynced() {
    SharedIndexInformer<GenericKubernetesResource> inf = informer;
    return inf != null && inf.hasSynced();
  }

  @Override
  public void close() {
    SharedIndexInformer<GenericKubernetesResource> inf;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      inf = informer;
    }
    if (inf != null) {
      inf.stop();
    }
    delivery.lock(); // waits for an event being delivered right now
    delivery.unlock();
    member.forget(this);
  }

  @Override
  public String toString() {
    return "watch " + target + " on " + member.name();
  }
}
