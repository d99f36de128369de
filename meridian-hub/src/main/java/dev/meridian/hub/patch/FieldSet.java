package dev.meridian.hub.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.ResourceCodec;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A set of field paths, as structured-merge-diff's {@code fieldpath.Set}: a tree whose edges are
 * path elements written as in {@code FieldsV1} ({@code f:name}, {@code k:{"name":"web"}}, {@code
 * v:"value"}, {@code i:3}) and whose nodes may be members of the set themselves ({@code .} in
 * FieldsV1 when they also have children).
 */
public final class FieldSet {
  private boolean member;
  private final Map<String, FieldSet> children = new LinkedHashMap<>();

  /** An empty set. */
  public FieldSet() {}

  /** Adds {@code path} (empty: the root itself). */
  public void insert(List<String> path) {
    FieldSet n = this;
    for (String pe : path) {
      n = n.children.computeIfAbsent(pe, k -> new FieldSet());
    }
    n.member = true;
  }

  public boolean isEmpty() {
    return !member && children.isEmpty();
  }

  /** Whether this node itself is in the set. */
  boolean member() {
    return member;
  }

  Map<String, FieldSet> children() {
    return children;
  }

  /** The subtree under {@code pe}, or null. */
  FieldSet child(String pe) {
    return children.get(pe);
  }

  /** Whether {@code path} is in the set. */
  public boolean has(List<String> path) {
    FieldSet n = this;
    for (String pe : path) {
      n = n.children.get(pe);
      if (n == null) {
        return false;
      }
    }
    return n.member;
  }

  public FieldSet copy() {
    FieldSet c = new FieldSet();
    c.member = member;
    children.forEach((k, v) -> c.children.put(k, v.copy()));
    return c;
  }

  public FieldSet union(FieldSet other) {
    FieldSet out = copy();
    out.addAll(other);
    return out;
  }

  private void addAll(FieldSet other) {
    member |= other.member;
    other.children.forEach((k, v) -> children.computeIfAbsent(k, x -> new FieldSet()).addAll(v));
  }

  /** The members of this set that are not members of {@code other}. */
  public FieldSet difference(FieldSet other) {
    FieldSet out = new FieldSet();
    out.member = member && (other == null || !other.member);
    children.forEach(
        (k, v) -> {
          FieldSet d = v.difference(other == null ? null : other.children.get(k));
          if (!d.isEmpty()) {
            out.children.put(k, d);
          }
        });
    return out;
  }

  /** This set without anything under {@code pe}. */
  public FieldSet without(String pe) {
    FieldSet out = copy();
    out.children.remove(pe);
    return out;
  }

  /** The members of both sets. */
  public FieldSet intersection(FieldSet other) {
    FieldSet out = new FieldSet();
    if (other == null) {
      return out;
    }
    out.member = member && other.member;
    children.forEach(
        (k, v) -> {
          FieldSet o = other.children.get(k);
          if (o != null) {
            FieldSet i = v.intersection(o);
            if (!i.isEmpty()) {
              out.children.put(k, i);
            }
          }
        });
    return out;
  }

  /** Every member path, depth first, in insertion order. */
  public List<List<String>> paths() {
    List<List<String>> out = new ArrayList<>();
    collect(new ArrayList<>(), out);
    return out;
  }

  private void collect(List<String> prefix, List<List<String>> out) {
    if (member) {
      out.add(List.copyOf(prefix));
    }
    children.forEach(
        (k, v) -> {
          prefix.add(k);
          v.collect(prefix, out);
          prefix.remove(prefix.size() - 1);
        });
  }

  /** {@code FieldsV1}, as {@code metadata.managedFields[].fieldsV1} holds it. */
  public ObjectNode toFieldsV1() {
    ObjectNode out = ResourceCodec.newObject();
    if (member && !children.isEmpty()) {
      out.putObject(".");
    }
    children.forEach((k, v) -> out.set(k, v.toFieldsV1()));
    return out;
  }

  /** Reads {@code FieldsV1}; a malformed one is an {@link IllegalArgumentException}. */
  public static FieldSet fromFieldsV1(JsonNode fields) {
    FieldSet s = new FieldSet();
    s.read(fields);
    return s;
  }

  private void read(JsonNode fields) {
    if (!fields.isObject()) {
      throw new IllegalArgumentException("FieldsV1 must be an object");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String k = e.getKey();
      if (k.equals(".")) {
        member = true;
        continue;
      }
      if (k.length() < 2 || k.charAt(1) != ':' || "fkvi".indexOf(k.charAt(0)) < 0) {
        throw new IllegalArgumentException("unknown path element " + k);
      }
      FieldSet child = children.computeIfAbsent(k, x -> new FieldSet());
      if (e.getValue().isEmpty()) {
        child.member = true;
      } else {
        child.read(e.getValue());
      }
    }
  }

  /**
   * A path as Kubernetes prints it in a conflict: {@code .spec.replicas}, {@code
   * .spec.template.spec.containers[name="web"].image}, {@code [="value"]}, {@code [3]}.
   */
  public static String describe(List<String> path) {
    StringBuilder sb = new StringBuilder();
    for (String pe : path) {
      String v = pe.substring(2);
      switch (pe.charAt(0)) {
        case 'f' -> sb.append('.').append(v);
        case 'i' -> sb.append('[').append(v).append(']');
        case 'v' -> sb.append("[=").append(v).append(']');
        default -> {
          // k:{"name":"web","port":80} -> [name="web",port=80]
          sb.append('[');
          try {
            JsonNode keys = ResourceCodec.JSON.readTree(v);
            List<String> parts = new ArrayList<>();
            keys.properties().forEach(e -> parts.add(e.getKey() + "=" + e.getValue()));
            sb.append(String.join(",", parts));
          } catch (Exception e) {
            sb.append(v);
          }
          sb.append(']');
        }
      }
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FieldSet f && member == f.member && children.equals(f.children);
  }

  @Override
  public int hashCode() {
    return children.hashCode() * 31 + (member ? 1 : 0);
  }

  @Override
  public String toString() {
    return toFieldsV1().toString();
  }
}
