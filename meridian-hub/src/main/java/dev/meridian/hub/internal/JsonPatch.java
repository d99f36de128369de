package dev.meridian.hub.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.hub.ApiException;
import java.util.ArrayList;
import java.util.List;

/** RFC 6902 JSON Patch ({@code add, remove, replace, move, copy, test}). */
public final class JsonPatch {
  private JsonPatch() {}

  public static ObjectNode apply(ObjectNode target, JsonNode patch) {
    if (!patch.isArray()) {
      throw ApiException.badRequest("a JSON patch must be a list of operations");
    }
    JsonNode doc = target;
    for (int i = 0; i < patch.size(); i++) {
      JsonNode op = patch.get(i);
      String name = op.path("op").asText("");
      String path = op.path("path").asText(null);
      if (path == null) {
        throw ApiException.badRequest("JSON patch operation " + i + ": missing path");
      }
      switch (name) {
        case "add" -> doc = add(doc, path, value(op, i));
        case "remove" -> doc = remove(doc, path, i);
        case "replace" -> {
          remove(doc, path, i);
          doc = add(doc, path, value(op, i));
        }
        case "move" -> {
          String from = op.path("from").asText("");
          JsonNode v = at(doc, from, i);
          remove(doc, from, i);
          doc = add(doc, path, v);
        }
        case "copy" -> doc = add(doc, path, at(doc, op.path("from").asText(""), i).deepCopy());
        case "test" -> {
          if (!at(doc, path, i).equals(value(op, i))) {
            throw new ApiException(422, "Invalid", "JSON patch test failed at " + path);
          }
        }
        default ->
            throw ApiException.badRequest(
                "JSON patch operation " + i + ": unknown op \"" + name + "\"");
      }
    }
    if (!doc.isObject()) {
      throw ApiException.badRequest("a JSON patch must leave an object");
    }
    return (ObjectNode) doc;
  }

  private static JsonNode value(JsonNode op, int i) {
    if (!op.has("value")) {
      throw ApiException.badRequest("JSON patch operation " + i + ": missing value");
    }
    return op.get("value");
  }

  private static List<String> tokens(String path) {
    List<String> out = new ArrayList<>();
    if (path.isEmpty()) {
      return out;
    }
    if (!path.startsWith("/")) {
      throw ApiException.badRequest("invalid JSON pointer \"" + path + "\"");
    }
    for (String t : path.substring(1).split("/", -1)) {
      out.add(t.replace("~1", "/").replace("~0", "~"));
    }
    return out;
  }

  private static JsonNode at(JsonNode doc, String path, int i) {
    JsonNode n = doc;
    for (String t : tokens(path)) {
      n = n.isArray() ? n.path(index(t, n.size(), i)) : n.path(t);
    }
    if (n.isMissingNode()) {
      throw new ApiException(422, "Invalid", "JSON patch operation " + i + ": no value at " + path);
    }
    return n;
  }

  private static JsonNode add(JsonNode doc, String path, JsonNode value) {
    List<String> t = tokens(path);
    if (t.isEmpty()) {
      return value;
    }
    JsonNode parent = at(doc, pointer(t.subList(0, t.size() - 1)), -1);
    String last = t.get(t.size() - 1);
    if (parent instanceof ObjectNode o) {
      o.set(last, value);
    } else if (parent instanceof ArrayNode a) {
      if (last.equals("-")) {
        a.add(value);
      } else {
        a.insert(index(last, a.size() + 1, -1), value);
      }
    } else {
      throw new ApiException(422, "Invalid", "JSON patch: cannot add at " + path);
    }
    return doc;
  }

  private static JsonNode remove(JsonNode doc, String path, int i) {
    List<String> t = tokens(path);
    JsonNode parent = at(doc, pointer(t.subList(0, t.size() - 1)), i);
    String last = t.get(t.size() - 1);
    if (parent instanceof ObjectNode o && o.has(last)) {
      o.remove(last);
    } else if (parent instanceof ArrayNode a) {
      a.remove(index(last, a.size(), i));
    } else {
      throw new ApiException(422, "Invalid", "JSON patch operation " + i + ": no value at " + path);
    }
    return doc;
  }

  private static String pointer(List<String> tokens) {
    StringBuilder sb = new StringBuilder();
    for (String t : tokens) {
      sb.append('/').append(t.replace("~", "~0").replace("/", "~1"));
    }
    return sb.toString();
  }

  private static int index(String token, int size, int op) {
    try {
      int idx = Integer.parseInt(token);
      if (idx < 0 || idx >= size) {
        throw new NumberFormatException();
      }
      return idx;
    } catch (NumberFormatException e) {
      throw new ApiException(
          422, "Invalid", "JSON patch operation " + op + ": bad array index " + token);
    }
  }
}
