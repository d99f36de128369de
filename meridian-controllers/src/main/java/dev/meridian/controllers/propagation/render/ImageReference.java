package dev.meridian.controllers.propagation.render;

import java.util.regex.Pattern;

/**
 * A container image reference split the way container runtimes read it: {@code
 * [registry/]repository[:tag][@digest]}. The first path part is a registry only when it looks like
 * a host (has a dot or a port, or is {@code localhost}); otherwise the image is on Docker Hub.
 *
 * <p>An image is written back exactly as it came except for the part an overrider changes: {@code
 * nginx:1.27} does not become {@code docker.io/library/nginx:1.27} because a tag was replaced.
 * Docker Hub's conventions are applied only when an edit needs them: giving {@code nginx} a
 * registry makes it {@code REGISTRY/library/nginx} (where mirrors of Docker Hub keep official
 * images), appending to the registry of {@code nginx} appends to {@code docker.io}, and appending
 * to a missing tag appends to {@code latest}.
 *
 * @param registry empty when the image names none (Docker Hub)
 * @param tag empty when none
 * @param digest {@code algorithm:hex}, empty when none
 */
record ImageReference(String registry, String repository, String tag, String digest) {
  private static final String DOCKER_HUB = "docker.io";
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern DIGEST =
      Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}");

  /**
   * @throws OverrideException if {@code image} is not a reference
   */
  static ImageReference parse(String image) {
    String rest = image;
    String digest = "";
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
    }
    String registry = "";
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        registry = first;
        rest = rest.substring(slash + 1);
      }
    }
    String tag = "";
    int colon = rest.lastIndexOf(':');
    boolean hasTag = colon > rest.lastIndexOf('/');
    if (hasTag) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
    }
    if (rest.isEmpty()
        || rest.startsWith("/")
        || rest.endsWith("/")
        || rest.contains(" ")
        || (at >= 0 && !DIGEST.matcher(digest).matches())
        || (hasTag && !TAG.matcher(tag).matches())) {
      throw new OverrideException("\"" + image + "\" is not a container image reference");
    }
    return new ImageReference(registry, rest, tag, digest);
  }

  /** Sets the registry; see the class comment for how an image without one is completed. */
  ImageReference withRegistry(String newRegistry) {
    String repo = repository;
    if (registry.isEmpty() && !newRegistry.isEmpty() && !repo.contains("/")) {
      repo = "library/" + repo;
    }
    return new ImageReference(newRegistry, repo, tag, digest);
  }

  /** The registry as pulled from: {@code docker.io} when the image names none. */
  String effectiveRegistry() {
    return registry.isEmpty() ? DOCKER_HUB : registry;
  }

  ImageReference withRepository(String newRepository) {
    if (newRepository.isEmpty() || newRepository.startsWith("/") || newRepository.endsWith("/")) {
      throw new OverrideException("\"" + newRepository + "\" is not a repository");
    }
    return new ImageReference(registry, newRepository, tag, digest);
  }

  /**
   * Pins to a tag or, for {@code algorithm:hex} (optionally after {@code @}), a digest. The other
   * is dropped: a digest would win over the new tag at pull time and the override would not show.
   */
  ImageReference withTagOrDigest(String value) {
    String v = value.startsWith("@") ? value.substring(1) : value;
    if (DIGEST.matcher(v).matches()) {
      return new ImageReference(registry, repository, "", v);
    }
    if (!TAG.matcher(v).matches()) {
      throw new OverrideException("\"" + value + "\" is neither a tag nor a digest");
    }
    return new ImageReference(registry, repository, v, "");
  }

  /** Appends to the tag ({@code latest} when there is none). */
  ImageReference withTagSuffix(String suffix) {
    if (tag.isEmpty() && !digest.isEmpty()) {
      throw new OverrideException("the image is pinned to a digest; there is no tag to add to");
    }
    return withTagOrDigest((tag.isEmpty() ? "latest" : tag) + suffix);
  }

  ImageReference withoutTagOrDigest() {
    return new ImageReference(registry, repository, "", "");
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    if (!registry.isEmpty()) {
      sb.append(registry).append('/');
    }
    sb.append(repository);
    if (!tag.isEmpty()) {
      sb.append(':').append(tag);
    }
    if (!digest.isEmpty()) {
      sb.append('@').append(digest);
    }
    return sb.toString();
  }
}
