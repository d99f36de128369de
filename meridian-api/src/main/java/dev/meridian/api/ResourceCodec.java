package dev.meridian.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads and writes Kubernetes objects as JSON or YAML, keeping every field as written.
 *
 * <p>Parsing is bounded so that a hostile document cannot exhaust memory: nesting depth, number of
 * aliases (the "billion laughs" attack) and document size are limited.
 */
public final class ResourceCodec {
  /** Deepest nesting accepted; real manifests stay far below. */
  public static final int MAX_DEPTH = 100;

  /** Most YAML aliases accepted in one document. */
  public static final int MAX_ALIASES = 50;

  /** Largest YAML input, in characters (the hub's body limit is smaller). */
  public static final int MAX_CODE_POINTS = 16 * 1024 * 1024;

  private static final StreamReadConstraints CONSTRAINTS =
      StreamReadConstraints.builder()
          .maxNestingDepth(MAX_DEPTH)
          .maxStringLength(MAX_CODE_POINTS)
          .build();

  public static final ObjectMapper JSON = newJsonMapper();
  public static final ObjectMapper YAML = newYamlMapper();

  private ResourceCodec() {}

  private static ObjectMapper newJsonMapper() {
    JsonMapper mapper =
        JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();
    mapper.getFactory().setStreamReadConstraints(CONSTRAINTS);
    mapper.setNodeFactory(
        com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));
    return mapper;
  }

  private static ObjectMapper newYamlMapper() {
    LoaderOptions loader = new LoaderOptions();
    loader.setMaxAliasesForCollections(MAX_ALIASES);
    loader.setAllowRecursiveKeys(false);
    loader.setNestingDepthLimit(MAX_DEPTH);
    loader.setCodePointLimit(MAX_CODE_POINTS);
    loader.setAllowDuplicateKeys(false);
    YAMLFactory factory =
        YAMLFactory.builder()
            .loaderOptions(loader)
            .streamReadConstraints(CONSTRAINTS)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build();
    YAMLMapper mapper = new YAMLMapper(factory);
    mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    mapper.setNodeFactory(
        com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));
    return mapper;
  }

  /**
   * Reads every object in a YAML or JSON text: multi-document YAML, one JSON object, or a {@code
   * kind: List} whose items are returned one by one. Empty documents are skipped.
   *
   * @throws DecodeException with the line and column of the first problem
   */
  public static List<ObjectNode> readDocuments(String text) {
    List<ObjectNode> out = new ArrayList<>();
    try (YAMLParser parser = (YAMLParser) YAML.getFactory().createParser(text)) {
      List<JsonNode> docs = new YamlTreeReader(parser, YAML.getNodeFactory()).readAll();
      int index = 0;
      for (JsonNode doc : docs) {
        index++;
        if (doc == null) {
          continue;
        }
        if (!doc.isObject()) {
          throw new DecodeException(
              "document " + index + " is not an object (found " + describe(doc) + ")");
        }
        ObjectNode obj = (ObjectNode) doc;
        if (isList(obj)) {
          for (JsonNode item : obj.withArray("items")) {
            if (!item.isObject()) {
              throw new DecodeException("document " + index + ": a List item is not an object");
            }
            out.add((ObjectNode) item);
          }
        } else {
          out.add(obj);
        }
      }
    } catch (JsonProcessingException e) {
      throw new DecodeException(cleanMessage(e), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      if (e instanceof DecodeException) {
        throw e;
      }
      // SnakeYAML reports its limits (depth, size) as unchecked exceptions
      throw new DecodeException("invalid YAML: " + firstLine(e.getMessage()), e);
    }
    return out;
  }

  /** Reads exactly one object from a JSON or YAML request body. */
  public static ObjectNode readObject(byte[] body, boolean yaml) {
    try {
      JsonNode node;
      if (yaml) {
        try (YAMLParser parser = (YAMLParser) YAML.getFactory().createParser(body)) {
          List<JsonNode> docs = new YamlTreeReader(parser, YAML.getNodeFactory()).readAll();
          if (docs.size() > 1) {
            throw new DecodeException(
                "the request body holds " + docs.size() + " documents; send one");
          }
          node = docs.isEmpty() ? null : docs.get(0);
        }
      } else {
        node = JSON.readTree(body);
      }
      if (node == null || node.isMissingNode() || node.isNull()) {
        throw new DecodeException("the request body is empty");
      }
      if (!node.isObject()) {
        throw new DecodeException(
            "the request body is not an object (found " + describe(node) + ")");
      }
      return (ObjectNode) node;
    } catch (JsonProcessingException e) {
      throw new DecodeException(cleanMessage(e), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (DecodeException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new DecodeException("invalid YAML: " + firstLine(e.getMessage()), e);
    }
  }

  public static byte[] toJsonBytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String toJson(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String toPrettyJson(JsonNode node) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String toYaml(JsonNode node) {
    try {
      return YAML.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses stored JSON bytes (trusted: written by the hub). */
  public static ObjectNode parseStored(byte[] json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Only {@code apiVersion}, {@code kind} and {@code metadata} of a stored object: the rest is
   * skipped without building it, for watchers that need no more (several times cheaper on objects
   * whose spec and status are large).
   */
  public static ObjectNode parseStoredMetadata(byte[] json) {
    return parseStoredFields(json, METADATA_FIELDS);
  }

  /** The fields that say what an object is: {@code apiVersion}, {@code kind}, {@code metadata}. */
  public static final java.util.Set<String> METADATA_FIELDS =
      java.util.Set.of("apiVersion", "kind", "metadata");

  /** The named top-level fields of an object (shared, not copied); the others left out. */
  public static ObjectNode onlyFields(ObjectNode obj, java.util.Set<String> fields) {
    ObjectNode out = newObject();
    obj.properties()
        .forEach(
            e -> {
              if (fields.contains(e.getKey())) {
                out.set(e.getKey(), e.getValue());
              }
            });
    return out;
  }

  /** The named top-level fields of a stored object; the others are skipped without building. */
  public static ObjectNode parseStoredFields(byte[] json, java.util.Set<String> fields) {
    try (com.fasterxml.jackson.core.JsonParser p = JSON.getFactory().createParser(json)) {
      ObjectNode out = newObject();
      if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
        throw new IOException("a stored object is not a JSON object");
      }
      while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (fields.contains(field)) {
          out.set(field, JSON.readTree(p));
        } else {
          p.skipChildren();
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isList(ObjectNode obj) {
    String kind = obj.path("kind").asText("");
    return kind.endsWith("List") && obj.path("items").isArray() && !obj.has("spec");
  }

  private static String describe(JsonNode node) {
    if (node.isArray()) {
      return "a list";
    }
    if (node.isTextual()) {
      return "text";
    }
    return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }

  private static String cleanMessage(JsonProcessingException e) {
    String msg = firstLine(e.getOriginalMessage());
    if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
      return "invalid document at line "
          + e.getLocation().getLineNr()
          + ", column "
          + e.getLocation().getColumnNr()
          + ": "
          + msg;
    }
    return "invalid document: " + msg;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable input";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** A fresh empty object node. */
  public static ObjectNode newObject() {
    return JSON.createObjectNode();
  }

  public static ArrayNode newArray() {
    return JSON.createArrayNode();
  }

  /**
   * Whether two trees hold the same JSON. Unlike {@link JsonNode#equals}, numbers are compared by
   * value: {@code 3} built with {@code put(name, 3L)} equals the {@code 3} parsed back from the
   * store, so a controller comparing what it would write with what is stored does not write again a
   * status that has not changed.
   */
  public static boolean sameTree(JsonNode a, JsonNode b) {
    return a == b || (a != null && b != null && a.equals(SAME_NUMBERS, b));
  }

  private static final java.util.Comparator<JsonNode> SAME_NUMBERS =
      (x, y) -> {
        if (x.isNumber() && y.isNumber()) {
          return x.decimalValue().compareTo(y.decimalValue());
        }
        return x.equals(y) ? 0 : 1;
      };
}
