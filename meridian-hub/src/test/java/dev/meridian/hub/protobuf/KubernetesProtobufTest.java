package dev.meridian.hub.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Protobuf bodies read into JSON. The wire bytes are built here from the shipped descriptors as
 * client-go builds them (every non-pointer field written, pointers only when set); the e2e test
 * {@code KubectlVerbsHubVsKubeApiserverTest} checks what kubectl itself sends against
 * kube-apiserver.
 */
public class KubernetesProtobufTest {
  final KubernetesProtobuf proto = KubernetesProtobuf.shipped();

  /** A message of {@code type} from {@code name, value} pairs; a value may be a builder. */
  static DynamicMessage msg(Descriptor type, Object... fieldsAndValues) {
    DynamicMessage.Builder b = DynamicMessage.newBuilder(type);
    for (int i = 0; i < fieldsAndValues.length; i += 2) {
      FieldDescriptor f = type.findFieldByName((String) fieldsAndValues[i]);
      assertThat(f).as(type.getName() + "." + fieldsAndValues[i]).isNotNull();
      Object v = fieldsAndValues[i + 1];
      if (f.isRepeated()) {
        for (Object item : (Object[]) v) {
          b.addRepeatedField(f, item);
        }
      } else {
        b.setField(f, v);
      }
    }
    return b.build();
  }

  static Descriptor type(Descriptor owner, String field) {
    return owner.findFieldByName(field).getMessageType();
  }

  /** Go writes a map field as repeated entries of key and value. */
  static Message entry(Descriptor owner, String field, Object key, Object value) {
    Descriptor e = type(owner, field);
    return msg(e, "key", key, "value", value);
  }

  byte[] wire(String apiVersion, String kind, Message object) throws Exception {
    return wire(proto, apiVersion, kind, object);
  }

  /** Kubernetes' protobuf envelope: {@code k8s\0}, then a runtime.Unknown around the object. */
  public static byte[] wire(
      KubernetesProtobuf proto, String apiVersion, String kind, Message object)
      throws java.io.IOException {
    Descriptor unknown = findUnknown(proto);
    Descriptor typeMeta = type(unknown, "typeMeta");
    DynamicMessage envelope =
        msg(
            unknown,
            "typeMeta",
            msg(typeMeta, "apiVersion", apiVersion, "kind", kind),
            "raw",
            object.toByteString(),
            "contentEncoding",
            "",
            "contentType",
            "");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {'k', '8', 's', 0});
    envelope.writeTo(out);
    return out.toByteArray();
  }

  private static Descriptor findUnknown(KubernetesProtobuf proto) {
    Descriptor ns = proto.messageType("v1", "Namespace").orElseThrow();
    for (var dep : ns.getFile().getDependencies()) {
      for (var d : dep.getMessageTypes()) {
        if (d.getFullName().equals("k8s.io.apimachinery.pkg.runtime.Unknown")) {
          return d;
        }
      }
    }
    throw new AssertionError("runtime.Unknown not found");
  }

  @Test
  void readsADeploymentAsItsJsonWouldBe() throws Exception {
    // Given: what client-go writes for kubectl create deployment --replicas=0, plus a volume,
    // an env entry from a ConfigMap key, a quantity and an int-or-string
    Descriptor deployment = proto.messageType("apps/v1", "Deployment").orElseThrow();
    Descriptor meta = type(deployment, "metadata");
    Descriptor spec = type(deployment, "spec");
    Descriptor podTemplate = type(spec, "template");
    Descriptor podSpec = type(podTemplate, "spec");
    Descriptor container = type(podSpec, "containers");
    Descriptor env = type(container, "env");
    Descriptor envSource = type(env, "valueFrom");
    Descriptor keySelector = type(envSource, "configMapKeyRef");
    Descriptor resources = type(container, "resources");
    Descriptor quantity = type(resources, "limits").findFieldByName("value").getMessageType();
    Descriptor volume = type(podSpec, "volumes");
    Descriptor volumeSource = type(volume, "volumeSource");
    Descriptor strategy = type(spec, "strategy");
    Descriptor rolling = type(strategy, "rollingUpdate");
    Descriptor intOrString = type(rolling, "maxSurge");
    Descriptor time = type(meta, "creationTimestamp");
    DynamicMessage object =
        msg(
            deployment,
            "metadata",
            msg(
                meta,
                "name",
                "web",
                "namespace",
                "",
                "generation",
                0L,
                "creationTimestamp",
                msg(time, "seconds", 0L, "nanos", 0),
                "labels",
                new Object[] {entry(meta, "labels", "app", "web")}),
            "spec",
            msg(
                spec,
                "replicas",
                0,
                "minReadySeconds",
                0,
                "paused",
                false,
                "strategy",
                msg(
                    strategy,
                    "type",
                    "RollingUpdate",
                    "rollingUpdate",
                    msg(
                        rolling,
                        "maxSurge",
                        msg(intOrString, "type", 1L, "intVal", 0, "strVal", "25%"),
                        "maxUnavailable",
                        msg(intOrString, "type", 0L, "intVal", 1, "strVal", ""))),
                "template",
                msg(
                    podTemplate,
                    "spec",
                    msg(
                        podSpec,
                        "containers",
                        new Object[] {
                          msg(
                              container,
                              "name",
                              "web",
                              "image",
                              "nginx:1.27",
                              "imagePullPolicy",
                              "",
                              "env",
                              new Object[] {
                                msg(
                                    env,
                                    "name",
                                    "GREETING",
                                    "value",
                                    "",
                                    "valueFrom",
                                    msg(
                                        envSource,
                                        "configMapKeyRef",
                                        msg(
                                            keySelector,
                                            "localObjectReference",
                                            msg(
                                                type(keySelector, "localObjectReference"),
                                                "name",
                                                "web-config"),
                                            "key",
                                            "greeting")))
                              },
                              "resources",
                              msg(
                                  resources,
                                  "limits",
                                  new Object[] {
                                    entry(
                                        resources, "limits", "cpu", msg(quantity, "string", "500m"))
                                  }))
                        },
                        "volumes",
                        new Object[] {
                          msg(
                              volume,
                              "name",
                              "scratch",
                              "volumeSource",
                              msg(volumeSource, "emptyDir", msg(type(volumeSource, "emptyDir"))))
                        }))));
    // When
    JsonNode json = proto.read(wire("apps/v1", "Deployment", object));
    // Then
    // (compared as trees: the order of keys is the messages' field order)
    assertThat(json)
        .isEqualTo(
            com.fasterxml.jackson.databind.json.JsonMapper.builder()
                .build()
                .readTree(
                    "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\","
                        + "\"metadata\":{\"name\":\"web\",\"labels\":{\"app\":\"web\"}},"
                        + "\"spec\":{\"replicas\":0,"
                        + "\"strategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxSurge\":\"25%\",\"maxUnavailable\":1}},"
                        + "\"template\":{\"spec\":{"
                        + "\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.27\","
                        + "\"env\":[{\"name\":\"GREETING\",\"valueFrom\":{\"configMapKeyRef\":{\"name\":\"web-config\",\"key\":\"greeting\"}}}],"
                        + "\"resources\":{\"limits\":{\"cpu\":\"500m\"}}}],"
                        + "\"volumes\":[{\"name\":\"scratch\",\"emptyDir\":{}}]}}}}"));
  }

  @Test
  void writesBytesAsBase64AndTimesAsRfc3339() throws Exception {
    Descriptor secret = proto.messageType("v1", "Secret").orElseThrow();
    Descriptor meta = type(secret, "metadata");
    Descriptor time = type(meta, "creationTimestamp");
    DynamicMessage object =
        msg(
            secret,
            "metadata",
            msg(meta, "name", "db", "deletionTimestamp", msg(time, "seconds", 1_767_225_600L)),
            "data",
            new Object[] {
              entry(
                  secret, "data", "password", ByteString.copyFrom("s3cr3t", StandardCharsets.UTF_8))
            });
    JsonNode json = proto.read(wire("v1", "Secret", object));
    assertThat(json.at("/data/password").asText()).isEqualTo("czNjcjN0");
    assertThat(json.at("/metadata/deletionTimestamp").asText()).isEqualTo("2026-01-01T00:00:00Z");
  }

  @Test
  void refusesWhatIsNotAKubernetesProtobufOfABuiltInKind() throws Exception {
    Descriptor namespace = proto.messageType("v1", "Namespace").orElseThrow();
    byte[] meridianKind = wire("fleet.meridian.dev/v1alpha1", "Cluster", msg(namespace));
    assertThatThrownBy(
            () -> proto.read("{\"kind\":\"Namespace\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            KubernetesProtobuf.UnreadableException.class,
            e -> assertThat(e.unsupportedKind()).isFalse())
        .hasMessageContaining("does not appear to be a protobuf message");
    assertThatThrownBy(() -> proto.read(meridianKind))
        .isInstanceOfSatisfying(
            KubernetesProtobuf.UnreadableException.class,
            e -> assertThat(e.unsupportedKind()).isTrue())
        .hasMessageContaining("not supported for Cluster");
    assertThatThrownBy(() -> proto.read(new byte[] {'k', '8', 's', 0, (byte) 0x0a, (byte) 0x7f}))
        .isInstanceOf(KubernetesProtobuf.UnreadableException.class)
        .hasMessageContaining("cannot be read");
  }

  @Test
  void formatsDurationsAsGo() {
    assertThat(GoDuration.format(0)).isEqualTo("0s");
    assertThat(GoDuration.format(1)).isEqualTo("1ns");
    assertThat(GoDuration.format(1_500)).isEqualTo("1.5µs");
    assertThat(GoDuration.format(150_000_000)).isEqualTo("150ms");
    assertThat(GoDuration.format(1_500_000_000)).isEqualTo("1.5s");
    assertThat(GoDuration.format(60_000_000_000L)).isEqualTo("1m0s");
    assertThat(GoDuration.format(3_723_000_000_000L)).isEqualTo("1h2m3s");
    assertThat(GoDuration.format(-3_600_000_000_000L)).isEqualTo("-1h0m0s");
  }
}
