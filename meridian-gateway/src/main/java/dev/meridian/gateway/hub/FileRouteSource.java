package dev.meridian.gateway.hub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.FieldError;
import dev.meridian.api.Meta;
import dev.meridian.api.ObjectValidator;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.ResourceType;
import dev.meridian.api.ResourceTypes;
import dev.meridian.api.network.GlobalRouteValidator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GlobalRoute}s from YAML or JSON files, for a gateway without a hub (static backends,
 * tests, benchmarks). A directory means its {@code *.yaml}, {@code *.yml} and {@code *.json} files.
 * The files are read again when one of them changes (checked every second); a set that does not
 * parse or validate is refused whole and the previous one stays in force.
 */
public final class FileRouteSource implements RouteSource {
  private static final Logger LOG = LoggerFactory.getLogger(FileRouteSource.class);
  private static final ResourceType TYPE =
      ResourceTypes.standard().byKind("network.meridian.dev/v1alpha1", "GlobalRoute").orElseThrow();

  private final Path path;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "meridian-gateway-route-files");
            t.setDaemon(true);
            return t;
          });
  private List<FileTime> seen = List.of();

  public FileRouteSource(Path path) {
    this.path = path;
  }

  /**
   * Reads and validates the routes now.
   *
   * @throws IllegalArgumentException naming the file and field of the first problems found
   */
  public List<ObjectNode> read() {
    List<ObjectNode> routes = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Path file : files()) {
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
      }
      List<ObjectNode> docs;
      try {
        docs = ResourceCodec.readDocuments(text);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
      }
      for (ObjectNode doc : docs) {
        if (!TYPE.apiVersion().equals(Meta.apiVersion(doc))
            || !TYPE.kind().equals(Meta.kind(doc))) {
          throw new IllegalArgumentException(
              file
                  + ": only GlobalRoutes ("
                  + TYPE.apiVersion()
                  + ") belong in a routes file, not "
                  + Meta.kind(doc));
        }
        if (Meta.namespace(doc).isEmpty()) {
          Meta.metadata(doc).put("namespace", "default");
        }
        List<FieldError> errors = ObjectValidator.validate(doc, TYPE);
        if (errors.isEmpty()) {
          errors = GlobalRouteValidator.validate(doc); // what the hub checks beyond the schema
        }
        if (!errors.isEmpty()) {
          throw new IllegalArgumentException(
              file + ": GlobalRoute " + Meta.name(doc) + ": " + errors.get(0));
        }
        if (!names.add(Meta.namespace(doc) + "/" + Meta.name(doc))) {
          throw new IllegalArgumentException(
              file + ": GlobalRoute " + Meta.namespace(doc) + "/" + Meta.name(doc) + " twice");
        }
        routes.add(doc);
      }
    }
    return List.copyOf(routes);
  }

  @Override
  public void start(Listener listener) {
    seen = stamps();
    listener.routes(read());
    timer.scheduleWithFixedDelay(() -> reloadIfChanged(listener), 1, 1, TimeUnit.SECONDS);
  }

  private void reloadIfChanged(Listener listener) {
    List<FileTime> now = stamps();
    if (now.equals(seen)) {
      return;
    }
    seen = now;
    try {
      List<ObjectNode> routes = read();
      listener.routes(routes);
      LOG.info("routes reloaded from {} ({} routes)", path, routes.size());
    } catch (RuntimeException e) {
      LOG.warn("routes in {} not reloaded, the previous ones stay: {}", path, e.getMessage());
    }
  }

  private List<Path> files() {
    if (!Files.isDirectory(path)) {
      return List.of(path);
    }
    try (Stream<Path> s = Files.list(path)) {
      return s.filter(
              p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
              })
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot list " + path + ": " + e.getMessage(), e);
    }
  }

  private List<FileTime> stamps() {
    List<FileTime> times = new ArrayList<>();
    try {
      times.add(Files.getLastModifiedTime(path));
      for (Path f : files()) {
        times.add(Files.getLastModifiedTime(f));
      }
    } catch (IOException | RuntimeException e) {
      return List.of(); // gone for now: compared as changed, and read() will say why
    }
    return times;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
