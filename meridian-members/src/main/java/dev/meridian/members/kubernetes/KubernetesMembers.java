package dev.meridian.members.kubernetes;

import dev.meridian.members.MemberException;
import dev.meridian.members.MemberTimeouts;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connects to real Kubernetes clusters. All members made by one factory share one Vert.x instance
 * (a few event-loop threads doing all network I/O for every cluster) and one small task pool
 * (informer event delivery), so a hundred members cost connections and memory, not threads.
 *
 * <p>Typically one per hub. Closing it closes every member it made.
 */
public final class KubernetesMembers implements AutoCloseable {

  /**
   * Sizing of the shared machinery.
   *
   * @param timeouts default timeouts of members that do not set their own
   * @param eventLoops Vert.x event-loop threads, shared by all members for network I/O
   * @param taskThreads threads delivering watch events to listeners, shared by all members
   */
  public record Options(MemberTimeouts timeouts, int eventLoops, int taskThreads) {
    public Options {
      Objects.requireNonNull(timeouts, "timeouts");
      if (eventLoops < 1 || taskThreads < 1) {
        throw new IllegalArgumentException("eventLoops and taskThreads must be at least 1");
      }
    }

    /** Default timeouts (connect 5 s, request 10 s), two event loops, four task threads. */
    public static Options defaults() {
      return new Options(MemberTimeouts.DEFAULT, 2, 4);
    }

    public Options withTimeouts(MemberTimeouts t) {
      return new Options(t, eventLoops, taskThreads);
    }
  }

  private static final Object VERTX_INIT = new Object();
  private static final long CLOSE_GRACE_MS = 300;

  private final Options options;
  private final Vertx vertx;
  private final Vertx5HttpClientFactory httpClients;
  private final ThreadPoolExecutor tasks;
  private final Set<KubernetesMember> members = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /** How long a {@link #handOver handed-over} connection waits for its next user. */
  static final java.time.Duration HAND_OVER_TTL = java.time.Duration.ofSeconds(60);

  /** A connection one user is done with and the next {@link #connect} of the same cluster takes. */
  private record HandedOver(String key, KubernetesMember member, long deadlineNanos) {}

  private final Map<String, HandedOver> handedOver = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong clientsBuilt =
      new java.util.concurrent.atomic.AtomicLong();

  private KubernetesMembers(Options options) {
    this.options = options;
    this.vertx = newVertx(options.eventLoops());
    this.httpClients = new Vertx5HttpClientFactory(vertx);
    this.tasks =
        new ThreadPoolExecutor(
            options.taskThreads(),
            options.taskThreads(),
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            daemonThreads("meridian-k8s-task-"));
    tasks.allowCoreThreadTimeOut(true);
  }

  public static KubernetesMembers create() {
    return new KubernetesMembers(Options.defaults());
  }

  public static KubernetesMembers create(Options options) {
    return new KubernetesMembers(Objects.requireNonNull(options, "options"));
  }

  /**
   * A member for one context of a kubeconfig, with the factory's default timeouts.
   *
   * @param context the context to use, or null for the kubeconfig's current-context
   * @throws MemberException with reason CONFIGURATION if the kubeconfig is unusable (nothing is
   *     sent over the network before that check)
   */
  public KubernetesMember connect(String name, String kubeconfigYaml, String context) {
    return connect(name, kubeconfigYaml, context, options.timeouts());
  }

  public KubernetesMember connect(
      String name, String kubeconfigYaml, String context, MemberTimeouts timeouts) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(timeouts, "timeouts");
    if (closed) {
      throw MemberException.closed(name);
    }
    closeExpiredHandOvers();
    HandedOver waiting = handedOver.get(name);
    if (waiting != null
        && waiting.key().equals(handOverKey(kubeconfigYaml, context, timeouts))
        && handedOver.remove(name, waiting)) {
      return waiting.member(); // the connection the join probed with, not a second one
    }
    Kubeconfig kubeconfig = Kubeconfig.parse(name, kubeconfigYaml, context);
    KubernetesClient client;
    try {
      client =
          new KubernetesClientBuilder()
              .withConfig(kubeconfig.toConfig(timeouts))
              .withHttpClientFactory(httpClients)
              .withTaskExecutor(tasks)
              .build();
    } catch (RuntimeException e) {
      // e.g. a certificate or key that does not load
      throw MemberException.configuration(
          name, "kubeconfig credentials are unusable: " + firstLine(e.getMessage()));
    }
    KubernetesMember member =
        new KubernetesMember(name, kubeconfig, client, timeouts, tasks, vertx, members::remove);
    members.add(member);
    clientsBuilt.incrementAndGet();
    return member;
  }

  /**
   * Keeps {@code member}, made by {@link #connect} from {@code kubeconfigYaml} and {@code context}
   * with the default timeouts, for the next {@code connect} of the same cluster with the same
   * credentials (within {@link #HAND_OVER_TTL}; closed after that): a join probes a cluster and the
   * fleet registry goes on with the same connection instead of opening another.
   */
  public void handOver(KubernetesMember member, String kubeconfigYaml, String context) {
    closeExpiredHandOvers();
    HandedOver before =
        handedOver.put(
            member.name(),
            new HandedOver(
                handOverKey(kubeconfigYaml, context, options.timeouts()),
                member,
                System.nanoTime() + HAND_OVER_TTL.toNanos()));
    if (before != null && before.member() != member) {
      before.member().close();
    }
  }

  /** How many API clients (connections to a cluster) {@link #connect} has built. */
  public long clientsBuilt() {
    return clientsBuilt.get();
  }

  private static String handOverKey(String kubeconfigYaml, String context, MemberTimeouts t) {
    return kubeconfigYaml.hashCode() + "|" + kubeconfigYaml.length() + "|" + context + "|" + t;
  }

  private void closeExpiredHandOvers() {
    long now = System.nanoTime();
    handedOver.forEach(
        (name, h) -> {
          if (now - h.deadlineNanos() > 0 && handedOver.remove(name, h)) {
            h.member().close();
          }
        });
  }

  /** The members made here and not yet closed. */
  public List<KubernetesMember> members() {
    return List.copyOf(members);
  }

  /** Closes every member, then the shared event loops and task threads. */
  @Override
  public void close() {
    closed = true;
    List<KubernetesMember> open = List.copyOf(members);
    for (KubernetesMember m : open) {
      m.close();
    }
    if (!open.isEmpty()) {
      // Members close their connections asynchronously (websocket close handshakes); shutting
      // the event loops down under them makes Netty log each pending notification as an error.
      try {
        Thread.sleep(CLOSE_GRACE_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    tasks.shutdown();
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // best effort: the event-loop threads are daemons
    }
  }

  private static Vertx newVertx(int eventLoops) {
    VertxOptions opts =
        new VertxOptions()
            .setEventLoopPoolSize(eventLoops)
            .setWorkerPoolSize(2)
            .setInternalBlockingPoolSize(2)
            .setUseDaemonThread(true)
            .setFileSystemOptions(
                new FileSystemOptions()
                    .setFileCachingEnabled(false)
                    .setClassPathResolvingEnabled(false));
    // As fabric8 does for its own Vert.x: resolve names through the JDK, not Vert.x's async DNS
    // client, which reads /etc/resolv.conf once and ignores the JVM's resolver settings.
    synchronized (VERTX_INIT) {
      String key = "vertx.disableDnsResolver";
      String before = System.getProperty(key);
      System.setProperty(key, "true");
      try {
        return Vertx.vertx(opts);
      } finally {
        if (before == null) {
          System.clearProperty(key);
        } else {
          System.setProperty(key, before);
        }
      }
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  static String firstLine(String s) {
    if (s == null) {
      return "no detail";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
