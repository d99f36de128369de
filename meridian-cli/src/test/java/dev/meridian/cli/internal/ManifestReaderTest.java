package dev.meridian.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {
  @TempDir Path dir;

  static final InputStream NO_STDIN = InputStream.nullInputStream();

  static String cm(String name) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: " + name + "}\n";
  }

  @Test
  void readsTheManifestFilesOfADirectoryInNameOrder() throws Exception {
    // Given a directory with manifests, a file of another kind and a subdirectory
    Files.writeString(dir.resolve("b.yml"), cm("b1") + "---\n" + cm("b2"));
    Files.writeString(
        dir.resolve("a.json"),
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"}}");
    Files.writeString(dir.resolve("c.YAML"), cm("c"));
    Files.writeString(dir.resolve("README.md"), "# not a manifest");
    Files.createDirectory(dir.resolve("sub.yaml"));

    // When it is read
    List<Manifest> manifests = ManifestReader.read(List.of(dir.toString()), NO_STDIN);

    // Then the objects come file by file in name order, each knowing where it came from
    assertThat(manifests)
        .extracting(m -> m.object().path("metadata").path("name").asText())
        .containsExactly("a", "b1", "b2", "c");
    assertThat(manifests.get(2).where())
        .isEqualTo(dir.resolve("b.yml") + ": object 2 (ConfigMap b2)");
  }

  @Test
  void readsStandardInputAndUnwrapsLists() {
    // Given a v1 List on stdin
    String list = "apiVersion: v1\nkind: List\nitems:\n- " + cm("x").replace("\n", "\n  ").strip();
    InputStream stdin = new ByteArrayInputStream(list.getBytes(StandardCharsets.UTF_8));

    // When it is read
    List<Manifest> manifests = ManifestReader.read(List.of("-"), stdin);

    // Then its item is the object
    assertThat(manifests).singleElement().extracting(Manifest::source).isEqualTo("stdin");
  }

  @Test
  void namesTheFileAndLineOfMalformedYaml() throws Exception {
    Path file = Files.writeString(dir.resolve("bad.yaml"), cm("ok") + "---\nmetadata: {name: [\n");
    assertThatThrownBy(() -> ManifestReader.read(List.of(file.toString()), NO_STDIN))
        .isInstanceOf(CliException.class)
        .hasMessageStartingWith(file + ": invalid document at line ");
  }

  @Test
  void refusesObjectsWithoutApiVersionKindOrName() {
    assertThatThrownBy(() -> ManifestReader.parse("f.yaml", "kind: ConfigMap\nmetadata: {name: a}"))
        .hasMessage("f.yaml: object 1 (ConfigMap a): apiVersion is required");
    assertThatThrownBy(() -> ManifestReader.parse("f.yaml", "apiVersion: v1\nmetadata: {name: a}"))
        .hasMessage("f.yaml: object 1: kind is required");
    assertThatThrownBy(
            () -> ManifestReader.parse("f.yaml", cm("a") + "---\napiVersion: v1\nkind: Pod\n"))
        .hasMessage("f.yaml: object 2 (Pod): metadata.name is required");
    assertThatThrownBy(
            () -> ManifestReader.parse("f.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: 7}"))
        .hasMessage("f.yaml: object 1 (Pod 7): metadata.name must be a string");
  }

  @Test
  void refusesMissingPathsEmptyInputAndBinaryFiles() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.yaml"), "---\n");
    Path binary = Files.write(dir.resolve("bin.yaml"), new byte[] {(byte) 0xff, (byte) 0xfe, 0});
    assertThatThrownBy(() -> ManifestReader.read(List.of("/no/such/file.yaml"), NO_STDIN))
        .hasMessage("the path \"/no/such/file.yaml\" does not exist");
    assertThatThrownBy(() -> ManifestReader.read(List.of(empty.toString()), NO_STDIN))
        .hasMessage("no objects passed in " + empty);
    assertThatThrownBy(() -> ManifestReader.read(List.of(binary.toString()), NO_STDIN))
        .hasMessage(binary + " is not UTF-8 text");
  }
}
