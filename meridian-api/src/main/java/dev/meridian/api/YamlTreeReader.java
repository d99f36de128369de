package dev.meridian.api;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Builds JSON trees from YAML with anchors, aliases and merge keys ({@code <<: *base}) resolved, as
 * Kubernetes' YAML reader does. Jackson's own tree reader turns an alias into the alias's name as a
 * string, silently corrupting such documents.
 *
 * <p>Expansion is bounded: at most {@link ResourceCodec#MAX_ALIASES} aliases per document and at
 * most {@link #MAX_EXPANDED_NODES} nodes copied by them, so an alias bomb fails fast instead of
 * exhausting memory.
 */
final class YamlTreeReader {
  static final int MAX_EXPANDED_NODES = 100_000;

  private final YAMLParser parser;
  private final JsonNodeFactory nodes;
  private Map<String, JsonNode> anchors = new HashMap<>();
  private int aliases;
  private long expanded;

  YamlTreeReader(YAMLParser parser, JsonNodeFactory nodes) {
    this.parser = parser;
    this.nodes = nodes;
  }

  /** All documents; a document that is empty is returned as null. */
  List<JsonNode> readAll() throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    while (parser.nextToken() != null) {
      anchors = new HashMap<>();
      aliases = 0;
      expanded = 0;
      JsonNode doc = readValue(0);
      boolean empty = doc == null || doc.isNull() || doc.isTextual() && doc.asText().isEmpty();
      docs.add(empty ? null : doc);
    }
    return docs;
  }

  private JsonNode readValue(int depth) throws IOException {
    if (depth > ResourceCodec.MAX_DEPTH) {
      throw new DecodeException(
          "invalid YAML: nesting deeper than " + ResourceCodec.MAX_DEPTH + " levels" + at());
    }
    if (parser.isCurrentAlias()) {
      String name = parser.getText();
      JsonNode target = anchors.get(name);
      if (target == null) {
        throw new DecodeException("invalid YAML: unknown alias *" + name + at());
      }
      if (++aliases > ResourceCodec.MAX_ALIASES) {
        throw new DecodeException(
            "invalid YAML: more than "
                + ResourceCodec.MAX_ALIASES
                + " aliases in one document"
                + at());
      }
      expanded += count(target);
      if (expanded > MAX_EXPANDED_NODES) {
        throw new DecodeException(
            "invalid YAML: aliases expand to more than " + MAX_EXPANDED_NODES + " nodes" + at());
      }
      return target.deepCopy();
    }
    String anchor = parser.getObjectId();
    JsonToken t = parser.currentToken();
    JsonNode value =
        switch (t) {
          case START_OBJECT -> readObject(depth);
          case START_ARRAY -> readArray(depth);
          case VALUE_STRING -> nodes.textNode(parser.getText());
          case VALUE_NUMBER_INT -> nodes.numberNode(parser.getBigIntegerValue());
          case VALUE_NUMBER_FLOAT -> nodes.numberNode(parser.getDecimalValue());
          case VALUE_TRUE -> nodes.booleanNode(true);
          case VALUE_FALSE -> nodes.booleanNode(false);
          case VALUE_NULL -> nodes.nullNode();
          default -> throw new DecodeException("invalid YAML: unexpected " + t + at());
        };
    if (anchor != null) {
      anchors.put(anchor, value);
    }
    return value;
  }

  private ObjectNode readObject(int depth) throws IOException {
    ObjectNode obj = nodes.objectNode();
    List<JsonNode> merges = new ArrayList<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      parser.nextToken();
      JsonNode value = readValue(depth + 1);
      if (name.equals("<<")) {
        merges.add(value);
        continue;
      }
      if (obj.has(name)) {
        throw new DecodeException("invalid YAML: duplicate key \"" + name + "\"" + at());
      }
      obj.set(name, value);
    }
    // explicit keys win over merged ones; earlier merge sources win over later ones
    for (JsonNode m : merges) {
      for (JsonNode source : m.isArray() ? m : List.of(m)) {
        if (!source.isObject()) {
          throw new DecodeException("invalid YAML: a merge key (<<) needs a mapping" + at());
        }
        Iterator<Map.Entry<String, JsonNode>> it = source.fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          if (!obj.has(e.getKey())) {
            obj.set(e.getKey(), e.getValue().deepCopy());
          }
        }
      }
    }
    return obj;
  }

  private ArrayNode readArray(int depth) throws IOException {
    ArrayNode arr = nodes.arrayNode();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      arr.add(readValue(depth + 1));
    }
    return arr;
  }

  private static long count(JsonNode n) {
    long c = 1;
    for (JsonNode child : n) {
      c += count(child);
    }
    return c;
  }

  private String at() {
    var loc = parser.currentLocation();
    return loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
  }
}
