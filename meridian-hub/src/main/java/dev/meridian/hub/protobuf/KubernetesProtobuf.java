package dev.meridian.hub.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.meridian.api.ResourceCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Reads Kubernetes' protobuf encoding ({@code application/vnd.kubernetes.protobuf}: the magic
 * {@code k8s\0}, then a {@code runtime.Unknown} that wraps the object's message) into the JSON
 * object the same request would have carried as {@code application/json}. kubectl's generators
 * ({@code create namespace|configmap|secret|deployment …}, {@code run}, {@code expose}) and typed
 * client-go clients send it for the built-in kinds.
 *
 * <p>The messages are Kubernetes' own, from the {@code generated.proto} files of the pinned
 * version, compiled into a descriptor set by {@code test-clusters/protos.sh} and shipped as a
 * resource. The JSON follows Go's encoding of the same types: field names are the proto names
 * (which Kubernetes takes from the JSON tags), {@code Time} is RFC 3339, {@code Quantity} and
 * {@code IntOrString} are their string or number, bytes are base64, raw extensions are their JSON.
 * A field that the Go struct always writes on the wire (a non-pointer number, boolean or string)
 * but JSON leaves out when zero ({@code omitempty}; the list comes from the Go types, {@code
 * test-clusters/omitempty}) is left out when zero, as is the zero {@code Time}; a pointer set to
 * zero ({@code replicas: 0}) stays.
 */
public final class KubernetesProtobuf {
  /** The media type. */
  public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

  private static final byte[] MAGIC = {'k', '8', 's', 0};
  private static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1.";
  private static final String RUNTIME = "k8s.io.apimachinery.pkg.runtime.";
  private static final String EXTENSIONS =
      "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.";
  private static final DateTimeFormatter MICRO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static volatile KubernetesProtobuf shared;

  private final Descriptor unknown;

  /** Object messages by {@code GROUP_LABEL.VERSION.Kind} (core for the legacy group). */
  private final Map<String, Descriptor> byKind = new HashMap<>();

  /** {@code MESSAGE_FULL_NAME.jsonName} of the fields dropped when zero. */
  private final Set<String> omitEmpty = new HashSet<>();

  /** {@code MESSAGE_FULL_NAME.protoName} of the embedded structs, whose fields JSON inlines. */
  private final Set<String> inline = new HashSet<>();

  private KubernetesProtobuf(FileDescriptorSet set, List<String> jsonFields) {
    for (String line : jsonFields) {
      String[] rule = line.split(" ", 2);
      if (rule.length == 2 && rule[0].equals("omitempty")) {
        omitEmpty.add(rule[1]);
      } else if (rule.length == 2 && rule[0].equals("inline")) {
        inline.add(rule[1]);
      } else if (!line.isBlank()) {
        throw new IllegalStateException("unknown JSON field rule: " + line);
      }
    }
    Map<String, FileDescriptorProto> protos = new HashMap<>();
    set.getFileList().forEach(f -> protos.put(f.getName(), f));
    Map<String, FileDescriptor> built = new HashMap<>();
    for (FileDescriptorProto f : set.getFileList()) {
      build(f.getName(), protos, built);
    }
    Descriptor unknownType = null;
    for (FileDescriptor fd : built.values()) {
      String pkg = fd.getPackage();
      String[] parts = pkg.split("\\.");
      if (parts.length < 2) {
        continue;
      }
      String suffix = parts[parts.length - 2] + "." + parts[parts.length - 1];
      for (Descriptor d : fd.getMessageTypes()) {
        if ((pkg + "." + d.getName()).equals(RUNTIME + "Unknown")) {
          unknownType = d;
        }
        // k8s.io/api wins over apimachinery's test and internal packages of the same suffix
        String key = suffix + "." + d.getName();
        if (!byKind.containsKey(key) || pkg.startsWith("k8s.io.api.")) {
          byKind.put(key, d);
        }
      }
    }
    if (unknownType == null) {
      throw new IllegalStateException("runtime.Unknown is not in the descriptor set");
    }
    this.unknown = unknownType;
  }

  private static FileDescriptor build(
      String name, Map<String, FileDescriptorProto> protos, Map<String, FileDescriptor> built) {
    FileDescriptor done = built.get(name);
    if (done != null) {
      return done;
    }
    FileDescriptorProto proto = protos.get(name);
    if (proto == null) {
      throw new IllegalStateException("descriptor set lacks " + name);
    }
    FileDescriptor[] deps =
        proto.getDependencyList().stream()
            .map(d -> build(d, protos, built))
            .toArray(FileDescriptor[]::new);
    try {
      FileDescriptor fd = FileDescriptor.buildFrom(proto, deps);
      built.put(name, fd);
      return fd;
    } catch (DescriptorValidationException e) {
      throw new IllegalStateException("invalid descriptor " + name, e);
    }
  }

  /** The descriptors shipped with Meridian, loaded once. */
  public static KubernetesProtobuf shipped() {
    KubernetesProtobuf s = shared;
    if (s == null) {
      synchronized (KubernetesProtobuf.class) {
        s = shared;
        if (s == null) {
          s = shared = load();
        }
      }
    }
    return s;
  }

  private static KubernetesProtobuf load() {
    try (InputStream set = resource("kubernetes.desc.gz");
        InputStream rules = resource("jsonfields.txt.gz")) {
      String lines = new String(rules.readAllBytes(), StandardCharsets.UTF_8);
      return new KubernetesProtobuf(FileDescriptorSet.parseFrom(set), lines.lines().toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream resource(String name) throws IOException {
    String path = "/dev/meridian/hub/protobuf/" + name;
    InputStream in = KubernetesProtobuf.class.getResourceAsStream(path);
    if (in == null) {
      throw new IllegalStateException(path + " is missing from the classpath");
    }
    return new GZIPInputStream(in);
  }

  /** Why a body cannot be read: the message says it as kube-apiserver would. */
  public static final class UnreadableException extends RuntimeException {
    private final boolean unsupportedKind;

    UnreadableException(String message, boolean unsupportedKind) {
      super(message);
      this.unsupportedKind = unsupportedKind;
    }

    /** The body is well formed, but of a kind that has no protobuf encoding (415, not 400). */
    public boolean unsupportedKind() {
      return unsupportedKind;
    }
  }

  /** The message type of {@code apiVersion}/{@code kind}, if Kubernetes defines one. */
  public Optional<Descriptor> messageType(String apiVersion, String kind) {
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = apiVersion.substring(slash + 1);
    String label = group.isEmpty() ? "core" : group.split("\\.")[0];
    Descriptor d = byKind.get(label + "." + version + "." + kind);
    if (d == null && (group.isEmpty() || group.equals("meta.k8s.io"))) {
      d = byKind.get("meta.v1." + kind); // DeleteOptions and the other meta/v1 kinds
    }
    return Optional.ofNullable(d);
  }

  /** Decodes a protobuf body into the object its JSON would be. */
  public ObjectNode read(byte[] body) {
    if (body.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(body, MAGIC.length), MAGIC)) {
      throw new UnreadableException(
          "provided data does not appear to be a protobuf message, expected prefix "
              + Arrays.toString(MAGIC),
          false);
    }
    try {
      DynamicMessage envelope =
          DynamicMessage.parseFrom(
              unknown, ByteString.copyFrom(body, MAGIC.length, body.length - MAGIC.length));
      Message typeMeta = (Message) envelope.getField(field(unknown, "typeMeta"));
      String apiVersion = string(typeMeta, "apiVersion");
      String kind = string(typeMeta, "kind");
      String encoding = string(envelope, "contentEncoding");
      if (!encoding.isEmpty()) {
        throw new UnreadableException("content encoding " + encoding + " is not supported", false);
      }
      Descriptor type =
          messageType(apiVersion, kind)
              .orElseThrow(
                  () ->
                      new UnreadableException(
                          "the body's media type "
                              + MEDIA_TYPE
                              + " is not supported for "
                              + kind
                              + " ("
                              + apiVersion
                              + "); use application/json",
                          true));
      ByteString raw = (ByteString) envelope.getField(field(unknown, "raw"));
      DynamicMessage object = DynamicMessage.parseFrom(type, raw);
      ObjectNode out = ResourceCodec.newObject();
      if (!apiVersion.isEmpty()) {
        out.put("apiVersion", apiVersion);
      }
      if (!kind.isEmpty()) {
        out.put("kind", kind);
      }
      out.setAll(message(object));
      return out;
    } catch (InvalidProtocolBufferException e) {
      throw new UnreadableException("the protobuf body cannot be read: " + e.getMessage(), false);
    }
  }

  private static FieldDescriptor field(Descriptor d, String name) {
    FieldDescriptor f = d.findFieldByName(name);
    if (f == null) {
      throw new IllegalStateException(d.getFullName() + " has no field " + name);
    }
    return f;
  }

  private static String string(Message m, String name) {
    FieldDescriptor f = m.getDescriptorForType().findFieldByName(name);
    return f == null || !m.hasField(f) ? "" : (String) m.getField(f);
  }

  /** A message as Go's JSON encoding writes the type it stands for. */
  private ObjectNode message(Message m) {
    ObjectNode out = ResourceCodec.newObject();
    for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
      FieldDescriptor f = e.getKey();
      JsonNode v;
      if (f.isMapField()) {
        ObjectNode map = out.objectNode();
        for (Object entry : (List<?>) e.getValue()) {
          Message me = (Message) entry;
          FieldDescriptor kf = me.getDescriptorForType().findFieldByNumber(1);
          FieldDescriptor vf = me.getDescriptorForType().findFieldByNumber(2);
          JsonNode value = single(vf, me.getField(vf));
          map.set(String.valueOf(me.getField(kf)), value == null ? NODES.nullNode() : value);
        }
        v = map;
      } else if (f.isRepeated()) {
        ArrayNode list = out.arrayNode();
        for (Object item : (List<?>) e.getValue()) {
          JsonNode value = single(f, item);
          list.add(value == null ? NODES.nullNode() : value);
        }
        v = list;
      } else {
        v = single(f, e.getValue());
        if (v == null) {
          continue; // the zero Time
        }
      }
      String name = jsonName(m.getDescriptorForType(), f);
      if (v.isObject() && inline.contains(m.getDescriptorForType().getFullName() + "." + name)) {
        out.setAll((ObjectNode) v);
        continue;
      }
      if (isZero(v) && omitEmpty.contains(m.getDescriptorForType().getFullName() + "." + name)) {
        continue;
      }
      out.set(name, v);
    }
    return out;
  }

  private static boolean isZero(JsonNode v) {
    return (v.isTextual() && v.asText().isEmpty())
        || (v.isNumber() && v.asDouble() == 0)
        || (v.isBoolean() && !v.asBoolean());
  }

  /** The JSON names that are not the proto names (apiextensions' JSONSchemaProps). */
  private static String jsonName(Descriptor owner, FieldDescriptor f) {
    String name = f.getName();
    if (owner.getFullName().equals(EXTENSIONS + "JSONSchemaProps")) {
      if (name.equals("ref")) {
        return "$ref";
      }
      if (name.equals("schema")) {
        return "$schema";
      }
      if (name.startsWith("xKubernetes")) {
        return "x-kubernetes"
            + name.substring("xKubernetes".length()).replaceAll("([A-Z])", "-$1").toLowerCase();
      }
    }
    return name;
  }

  /** One value; null for the zero Time (which Go writes as null and kubectl leaves out). */
  private JsonNode single(FieldDescriptor f, Object value) {
    switch (f.getJavaType()) {
      case MESSAGE:
        return special((Message) value);
      case BYTE_STRING:
        return NODES.textNode(
            Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
      case STRING:
        return NODES.textNode((String) value);
      case BOOLEAN:
        return NODES.booleanNode((Boolean) value);
      case INT:
        return NODES.numberNode((Integer) value);
      case LONG:
        return NODES.numberNode((Long) value);
      case FLOAT:
        return NODES.numberNode((Float) value);
      case DOUBLE:
        return NODES.numberNode((Double) value);
      default:
        return NODES.textNode(String.valueOf(value));
    }
  }

  private JsonNode special(Message m) {
    String type = m.getDescriptorForType().getFullName();
    switch (type) {
      case META + "Time":
      case META + "MicroTime":
        {
          long seconds = number(m, "seconds");
          long nanos = number(m, "nanos");
          if (seconds == 0 && nanos == 0) {
            return null;
          }
          Instant t = Instant.ofEpochSecond(seconds, nanos);
          return NODES.textNode(
              type.endsWith("MicroTime")
                  ? MICRO.format(t)
                  : DateTimeFormatter.ISO_INSTANT.format(
                      t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
        }
      case META + "Duration":
        return NODES.textNode(GoDuration.format(number(m, "duration")));
      case "k8s.io.apimachinery.pkg.util.intstr.IntOrString":
        return number(m, "type") == 1
            ? NODES.textNode(string(m, "strVal"))
            : NODES.numberNode((int) number(m, "intVal"));
      case "k8s.io.apimachinery.pkg.api.resource.Quantity":
        return NODES.textNode(string(m, "string"));
      case RUNTIME + "RawExtension":
      case META + "FieldsV1":
      case EXTENSIONS + "JSON":
        {
          FieldDescriptor raw = m.getDescriptorForType().getFields().get(0);
          ByteString bytes = (ByteString) m.getField(raw);
          return bytes.isEmpty() ? NODES.nullNode() : json(bytes);
        }
      case EXTENSIONS + "JSONSchemaPropsOrBool":
        return has(m, "schema")
            ? message((Message) m.getField(field(m.getDescriptorForType(), "schema")))
            : NODES.booleanNode(
                m.getField(field(m.getDescriptorForType(), "allows")) == Boolean.TRUE);
      case EXTENSIONS + "JSONSchemaPropsOrArray":
        {
          if (has(m, "schema")) {
            return message((Message) m.getField(field(m.getDescriptorForType(), "schema")));
          }
          ArrayNode list = NODES.arrayNode();
          for (Object o : (List<?>) m.getField(field(m.getDescriptorForType(), "jSONSchemas"))) {
            list.add(message((Message) o));
          }
          return list;
        }
      case EXTENSIONS + "JSONSchemaPropsOrStringArray":
        {
          if (has(m, "schema")) {
            return message((Message) m.getField(field(m.getDescriptorForType(), "schema")));
          }
          ArrayNode list = NODES.arrayNode();
          for (Object o : (List<?>) m.getField(field(m.getDescriptorForType(), "property"))) {
            list.add((String) o);
          }
          return list;
        }
      default:
        break;
    }
    // a Go slice type given a message of its own (ExtraValue, Verbs, …): its one repeated field
    List<FieldDescriptor> fields = m.getDescriptorForType().getFields();
    if (fields.size() == 1
        && fields.get(0).isRepeated()
        && fields.get(0).getName().equals("items")) {
      ArrayNode list = NODES.arrayNode();
      for (Object o : (List<?>) m.getField(fields.get(0))) {
        JsonNode v = single(fields.get(0), o);
        list.add(v == null ? NODES.nullNode() : v);
      }
      return list;
    }
    return message(m);
  }

  private static JsonNode json(ByteString bytes) {
    try {
      return ResourceCodec.JSON.readTree(bytes.toByteArray());
    } catch (IOException e) {
      throw new UnreadableException("a raw field is not JSON: " + e.getMessage(), false);
    }
  }

  private static boolean has(Message m, String name) {
    FieldDescriptor f = m.getDescriptorForType().findFieldByName(name);
    return f != null && m.hasField(f);
  }

  private static long number(Message m, String name) {
    FieldDescriptor f = m.getDescriptorForType().findFieldByName(name);
    if (f == null || !m.hasField(f)) {
      return 0;
    }
    return ((Number) m.getField(f)).longValue();
  }
}
