package dev.meridian.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.DecodeException;
import dev.meridian.api.ResourceCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads the objects named by {@code -f}: a file, every {@code *.yaml}, {@code *.yml} and {@code
 * *.json} file of a directory in name order, or {@code -} for standard input. Everything is read
 * and checked before anything is sent, so that a broken file changes nothing on the hub.
 */
public final class ManifestReader {
  private ManifestReader() {}

  public static List<Manifest> read(List<String> sources, InputStream stdin) {
    List<Manifest> out = new ArrayList<>();
    for (String source : sources) {
      if (source.equals("-")) {
        out.addAll(parse("stdin", readStdin(stdin)));
        continue;
      }
      Path path = Path.of(source);
      if (Files.isDirectory(path)) {
        for (Path file : manifestFiles(path)) {
          out.addAll(parse(file.toString(), readFile(file)));
        }
      } else if (Files.exists(path)) {
        out.addAll(parse(source, readFile(path)));
      } else {
        throw new CliException("the path \"" + OneLine.safe(source) + "\" does not exist");
      }
    }
    if (out.isEmpty()) {
      throw new CliException("no objects passed in " + String.join(", ", sources));
    }
    return out;
  }

  /** The objects in one text, each checked to have an apiVersion, a kind and a name. */
  static List<Manifest> parse(String source, String text) {
    List<ObjectNode> docs;
    try {
      docs = ResourceCodec.readDocuments(text);
    } catch (DecodeException e) {
      throw new CliException(OneLine.safe(source + ": " + e.getMessage()));
    }
    List<Manifest> out = new ArrayList<>();
    for (ObjectNode doc : docs) {
      Manifest m = new Manifest(source, out.size() + 1, doc);
      requireText(m, doc.path("apiVersion"), "apiVersion");
      requireText(m, doc.path("kind"), "kind");
      requireText(m, doc.path("metadata").path("name"), "metadata.name");
      JsonNode ns = doc.path("metadata").path("namespace");
      if (!ns.isMissingNode() && !ns.isNull() && !ns.isTextual()) {
        throw new CliException(m.where() + ": metadata.namespace must be a string");
      }
      out.add(m);
    }
    return out;
  }

  private static void requireText(Manifest m, JsonNode node, String field) {
    if (node.isMissingNode() || node.isNull() || node.asText("").isBlank()) {
      throw new CliException(m.where() + ": " + field + " is required");
    }
    if (!node.isTextual()) {
      throw new CliException(m.where() + ": " + field + " must be a string");
    }
  }

  private static List<Path> manifestFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(ManifestReader::isManifestFile)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new CliException("cannot list " + dir + ": " + OneLine.cause(e));
    }
  }

  private static boolean isManifestFile(Path p) {
    String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
  }

  private static String readFile(Path file) {
    return decode(file.toString(), UserFiles.read("", file));
  }

  private static String readStdin(InputStream stdin) {
    try {
      return decode("stdin", stdin.readAllBytes());
    } catch (IOException e) {
      throw new CliException("cannot read stdin: " + OneLine.cause(e));
    }
  }

  private static String decode(String source, byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new CliException(source + " is not UTF-8 text");
    }
  }
}
