package dev.meridian.controllers.propagation.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {
  static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

  @ParameterizedTest
  @CsvSource({
    "nginx,                               '',                    nginx,                 ''",
    "nginx:1.27,                          '',                    nginx,                 1.27",
    "bitnami/redis:7.4,                   '',                    bitnami/redis,         7.4",
    "registry.k8s.io/pause:3.10,          registry.k8s.io,       pause,                 3.10",
    "localhost:5000/team/app:dev,         localhost:5000,        team/app,              dev",
    "localhost/app,                       localhost,             app,                   ''",
    "my-registry:5000/app,                my-registry:5000,      app,                   ''",
    "ghcr.io/acme/platform/web:v2.1.0-rc1, ghcr.io,               acme/platform/web,     v2.1.0-rc1",
  })
  void splitsRegistryRepositoryAndTagAndWritesThemBackUnchanged(
      String image, String registry, String repository, String tag) {
    // When
    ImageReference ref = ImageReference.parse(image);
    // Then
    assertThat(ref.registry()).isEqualTo(registry);
    assertThat(ref.repository()).isEqualTo(repository);
    assertThat(ref.tag()).isEqualTo(tag);
    assertThat(ref.toString()).isEqualTo(image);
  }

  @Test
  void readsADigestWithOrWithoutATag() {
    // When
    ImageReference pinned = ImageReference.parse("quay.io/acme/web@" + DIGEST);
    ImageReference both = ImageReference.parse("nginx:1.27@" + DIGEST);
    // Then
    assertThat(pinned.digest()).isEqualTo(DIGEST);
    assertThat(pinned.tag()).isEmpty();
    assertThat(both.tag()).isEqualTo("1.27");
    assertThat(both.toString()).isEqualTo("nginx:1.27@" + DIGEST);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", ":1.0", "nginx:", "nginx:bad tag", "nginx@sha256:xyz", "acme/", "a b"})
  void rejectsWhatIsNotAnImage(String image) {
    // When / Then
    assertThatThrownBy(() -> ImageReference.parse(image)).isInstanceOf(OverrideException.class);
  }

  @Test
  void completesADockerHubImageOnlyWhenItsRegistryChanges() {
    // Given
    ImageReference official = ImageReference.parse("nginx:1.27");
    ImageReference user = ImageReference.parse("bitnami/redis:7.4");
    // When / Then
    assertThat(official.withRegistry("mirror.example.com").toString())
        .isEqualTo("mirror.example.com/library/nginx:1.27");
    assertThat(user.withRegistry("mirror.example.com").toString())
        .isEqualTo("mirror.example.com/bitnami/redis:7.4");
    assertThat(ImageOverrider.change("nginx:1.27", "Registry", "add", ".cn"))
        .isEqualTo("docker.io.cn/library/nginx:1.27");
    assertThat(official.withTagOrDigest("1.28").toString()).isEqualTo("nginx:1.28");
  }

  @Test
  void appendsToTheTagOrToLatestWhenThereIsNone() {
    // When / Then
    assertThat(ImageOverrider.change("nginx:1.27", "Tag", "add", "-alpine"))
        .isEqualTo("nginx:1.27-alpine");
    assertThat(ImageOverrider.change("nginx", "Tag", "add", "-alpine"))
        .isEqualTo("nginx:latest-alpine");
    assertThatThrownBy(() -> ImageOverrider.change("nginx@" + DIGEST, "Tag", "add", "-alpine"))
        .isInstanceOf(OverrideException.class);
  }

  @Test
  void removesATagOrDigestOrTheRegistryButNeverTheRepository() {
    // When / Then
    assertThat(ImageOverrider.change("nginx:1.27@" + DIGEST, "Tag", "remove", ""))
        .isEqualTo("nginx");
    assertThat(ImageOverrider.change("registry.k8s.io/pause:3.10", "Registry", "remove", ""))
        .isEqualTo("pause:3.10");
    assertThatThrownBy(() -> ImageOverrider.change("nginx:1.27", "Repository", "remove", ""))
        .isInstanceOf(OverrideException.class);
  }
}
