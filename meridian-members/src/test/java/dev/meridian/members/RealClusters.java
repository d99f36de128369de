package dev.meridian.members;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Real Kubernetes API servers for tests, through the scripts in {@code test-clusters/}: builds the
 * binaries if missing, starts etcd and N API servers on loopback, and stops them all in {@link
 * #close()} or, failing that, when the JVM exits.
 *
 * <pre>{@code
 * try (RealClusters clusters = RealClusters.start(2)) {
 *   RealClusters.Cluster c = clusters.get(0);   // cluster-1
 *   String kubeconfig = c.kubeconfigYaml();
 * }
 * }</pre>
 *
 * <p>Without a controller manager (the default here) nothing reconciles: no ReplicaSets, no pods,
 * namespaces never finish terminating. Ask for one with {@link Options#controllerManager()}.
 */
public final class RealClusters implements AutoCloseable {

  /** One started cluster, as {@code start.sh} printed it. */
  public record Cluster(String name, String url, Path kubeconfig) {
    public String kubeconfigYaml() {
      try {
        return Files.readString(kubeconfig);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * @param controllerManager also run a kube-controller-manager per cluster (when built)
   * @param nodes also a kube-scheduler, KWOK and a fake node per cluster ({@link #withNodes})
   * @param startTimeout how long starting may take (the first build of the binaries takes longer:
   *     it is given {@link #BUILD_TIMEOUT})
   */
  public record Options(boolean controllerManager, boolean nodes, Duration startTimeout) {
    public static Options defaults() {
      return new Options(false, false, Duration.ofMinutes(4));
    }

    public Options withControllerManager() {
      return new Options(true, nodes, startTimeout);
    }

    /**
     * Also a kube-scheduler, KWOK and one fake node per cluster (and the controller manager): pods
     * are scheduled and become Running and Ready, so Deployments really become available.
     */
    public Options withNodes() {
      return new Options(true, true, startTimeout);
    }
  }

  public static final Duration BUILD_TIMEOUT = Duration.ofMinutes(75);

  private final Path root;
  private final Path dir;
  private final Options options;
  private final Map<String, Cluster> clusters = new LinkedHashMap<>();
  private final Thread shutdownHook;
  private Path binDir;
  private boolean closed;

  private RealClusters(Path root, Path dir, Options options) {
    this.root = root;
    this.dir = dir;
    this.options = options;
    this.shutdownHook = new Thread(this::stopAll, "real-clusters-shutdown");
  }

  /** Starts {@code n} clusters (cluster-1 .. cluster-n) in a fresh temporary directory. */
  public static RealClusters start(int n) {
    return start(n, Options.defaults());
  }

  public static RealClusters start(int n, Options options) {
    Path root = repoRoot();
    Path dir;
    try {
      dir = Files.createTempDirectory("meridian-clusters-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    RealClusters rc = new RealClusters(root, dir, options);
    Runtime.getRuntime().addShutdownHook(rc.shutdownHook);
    try {
      rc.build();
      rc.startAll(n);
      return rc;
    } catch (RuntimeException | Error e) {
      rc.close();
      throw e;
    }
  }

  /** The directory holding {@code test-clusters/}, found walking up from the working directory. */
  public static Path repoRoot() {
    Path p = Paths.get("").toAbsolutePath();
    for (Path q = p; q != null; q = q.getParent()) {
      if (Files.isDirectory(q.resolve("test-clusters"))) {
        return q;
      }
    }
    throw new IllegalStateException("no test-clusters/ directory above " + p);
  }

  public List<Cluster> clusters() {
    return List.copyOf(clusters.values());
  }

  /** The i-th cluster, from 0 (cluster-1). */
  public Cluster get(int i) {
    return clusters().get(i);
  }

  public Cluster cluster(String name) {
    return Optional.ofNullable(clusters.get(name))
        .orElseThrow(() -> new IllegalArgumentException("no cluster " + name));
  }

  /** The state directory (logs under {@code cluster-i/apiserver.log}). */
  public Path dir() {
    return dir;
  }

  /** The kubectl built for the clusters' version. */
  public Path kubectl() {
    return binDir.resolve("kubectl");
  }

  /** Stops one cluster's API server (its data stays in etcd). */
  public void stop(String name) {
    cluster(name);
    run(Duration.ofSeconds(60), "stop.sh", dir.toString(), name);
  }

  /** Starts a stopped cluster again on the same port, with the same data and kubeconfig. */
  public Cluster restart(String name) {
    cluster(name);
    String out = run(options.startTimeout(), "start-one.sh", dir.toString(), name);
    return parse(out).get(0);
  }

  /** Stops everything and removes the state directory. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down; the hook runs stopAll (idempotent)
    }
    deleteTree(dir);
  }

  private void build() {
    List<String> components =
        new ArrayList<>(List.of("kube-apiserver", "kubectl", "kube-controller-manager"));
    if (options.nodes()) {
      components.addAll(List.of("kube-scheduler", "kwok"));
    }
    String out = run(BUILD_TIMEOUT, "build.sh", components.toArray(String[]::new));
    String[] lines = out.strip().split("\n");
    binDir = Paths.get(lines[lines.length - 1].strip());
  }

  private void startAll(int n) {
    String out;
    try {
      out = run(options.startTimeout(), "start.sh", Integer.toString(n), dir.toString());
    } catch (IllegalStateException first) {
      // one retry: a slow machine sometimes misses a readiness window
      stopAll();
      out = run(options.startTimeout(), "start.sh", Integer.toString(n), dir.toString());
    }
    for (Cluster c : parse(out)) {
      clusters.put(c.name(), c);
    }
    if (clusters.size() != n) {
      throw new IllegalStateException(
          "start.sh printed " + clusters.size() + " of " + n + ":\n" + out);
    }
  }

  private static List<Cluster> parse(String out) {
    List<Cluster> list = new ArrayList<>();
    for (String line : out.split("\n")) {
      String[] f = line.strip().split("\\s+");
      if (f.length == 3 && f[0].startsWith("cluster-") && f[1].startsWith("https://")) {
        list.add(new Cluster(f[0], f[1], Paths.get(f[2])));
      }
    }
    return list;
  }

  /**
   * Stops every process of the state dir. The script's own check may miss a live process, so the
   * PIDs it recorded are checked afterwards and whatever still runs there is ended, by PID.
   */
  private synchronized void stopAll() {
    if (!Files.isDirectory(dir) || !Files.exists(dir.resolve(".meridian-test-clusters"))) {
      return;
    }
    List<Long> pids = recordedPids();
    try {
      run(Duration.ofSeconds(90), "stop.sh", dir.toString());
    } catch (RuntimeException e) {
      System.err.println("[real-clusters] stop.sh failed: " + e.getMessage());
    }
    for (long pid : pids) {
      ProcessHandle.of(pid)
          .filter(this::isOurs)
          .ifPresent(
              h -> {
                h.destroy();
                try {
                  h.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                  h.destroyForcibly();
                }
              });
    }
  }

  private boolean isOurs(ProcessHandle h) {
    return h.isAlive()
        && h.info()
            .arguments()
            .map(a -> String.join(" ", a).contains(dir.toString()))
            .orElse(false);
  }

  private List<Long> recordedPids() {
    List<Long> pids = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir, 2)) {
      files
          .filter(f -> f.getFileName().toString().endsWith(".pid"))
          .forEach(
              f -> {
                try {
                  pids.add(Long.parseLong(Files.readString(f).strip()));
                } catch (IOException | NumberFormatException e) {
                  // a half-written pid file: the script handles it
                }
              });
    } catch (IOException e) {
      // nothing recorded
    }
    return pids;
  }

  /** Runs a test-clusters script; returns its stdout, fails with the tail of its stderr. */
  private String run(Duration timeout, String script, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("bash");
    cmd.add(root.resolve("test-clusters").resolve(script).toString());
    cmd.addAll(List.of(args));
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("real-clusters-", ".out");
      err = Files.createTempFile("real-clusters-", ".err");
      // files, not pipes: the daemons the scripts start must not hold our streams open
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      if (!options.controllerManager()) {
        pb.environment().put("TC_CONTROLLER_MANAGER", "0");
      }
      if (options.nodes()) {
        pb.environment().put("TC_NODES", "1");
      }
      Process p = pb.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(script + " timed out after " + timeout);
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            script
                + " "
                + String.join(" ", args)
                + " failed (exit "
                + p.exitValue()
                + "):\n"
                + tail(Files.readString(err), 15));
      }
      return Files.readString(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + script, e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  private static void deleteQuietly(Path f) {
    if (f != null) {
      f.toFile().delete();
    }
  }

  private static String tail(String s, int lines) {
    String[] all = s.split("\n");
    return String.join("\n", List.of(all).subList(Math.max(0, all.length - lines), all.length));
  }

  private static void deleteTree(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> files = Files.walk(p)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // leave it to the OS's temp cleaning
    }
  }
}
