package dev.meridian.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the Kubernetes binaries that {@code test-clusters/build.sh} builds: {@code
 * MERIDIAN_K8S_BIN} when set (as {@code .ci/run} does), else the newest version in the cache.
 */
final class KubernetesBinaries {
  private KubernetesBinaries() {}

  static Path bin(String name) {
    String env = System.getenv("MERIDIAN_K8S_BIN");
    Optional<Path> dir = env != null && !env.isBlank() ? Optional.of(Path.of(env)) : newestCached();
    Path p = dir.map(d -> d.resolve(name)).filter(Files::isExecutable).orElse(null);
    if (p == null) {
      throw new IllegalStateException(
          name
              + " not found: run test-clusters/build.sh (or bash .ci/run) first, or set MERIDIAN_K8S_BIN");
    }
    return p;
  }

  private static Optional<Path> newestCached() {
    Path cache = Path.of(System.getProperty("user.home"), ".cache", "meridian", "k8s");
    if (!Files.isDirectory(cache)) {
      return Optional.empty();
    }
    try (Stream<Path> s = Files.list(cache)) {
      return s.map(v -> v.resolve("bin"))
          .filter(Files::isDirectory)
          .max(Comparator.comparing(Path::toString));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
