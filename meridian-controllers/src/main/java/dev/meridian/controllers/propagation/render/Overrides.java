package dev.meridian.controllers.propagation.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.policy.ClusterAffinity;
import dev.meridian.api.policy.ResourceSelector;
import dev.meridian.scheduler.ClusterView;
import dev.meridian.scheduler.PolicyMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Applies the {@code OverridePolicy} objects that select a manifest to the copy sent to one
 * cluster, in a fixed order (see the package documentation) so that every hub replica renders the
 * same bytes.
 *
 * <p>Policies are user data and may be wrong for the manifest at hand (a container that does not
 * exist, a JSON pointer to nothing). Such an overrider is skipped and reported in {@link
 * Result#errors()}, naming the policy, rule and overrider; the others still apply. Each overrider
 * item is all-or-nothing: the manifest is exactly as it was before a failed item. No overrider may
 * change what identifies the object on the member (apiVersion, kind, name, namespace) or remove
 * Meridian's own label and annotation, since the work controller tracks objects by them.
 */
public final class Overrides {
  private static final Comparator<ObjectNode> BY_NAME =
      Comparator.comparing((ObjectNode p) -> Meta.name(p)).thenComparing(Meta::namespace);

  private Overrides() {}

  /**
   * The manifest after overrides, what was applied ({@code "POLICY rule N: OVERRIDER[i]"}, in
   * order) and what could not be ({@code "POLICY rule N: OVERRIDER[i]: why"}).
   */
  public record Result(ObjectNode manifest, List<String> applied, List<String> errors) {
    public Result {
      Objects.requireNonNull(manifest, "manifest");
      applied = List.copyOf(applied);
      errors = List.copyOf(errors);
    }
  }

  /**
   * Applies to a copy of {@code manifest} (which is not changed) every rule of every policy that
   * {@link #selects selects} it and {@link #targets targets} the cluster. Policies that do not
   * select the manifest are skipped, so a caller may pass all the policies of its namespace.
   */
  public static Result apply(
      ObjectNode manifest, List<ObjectNode> overridePolicies, ClusterFacts cluster) {
    Objects.requireNonNull(cluster, "cluster");
    JsonNode doc = manifest.deepCopy();
    List<String> applied = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    List<ObjectNode> policies =
        overridePolicies.stream().filter(p -> selects(p, manifest)).sorted(BY_NAME).toList();
    for (ObjectNode policy : policies) {
      JsonNode rules = policy.path("spec").path("overrideRules");
      if (rules.isMissingNode() || rules.isNull()) {
        continue;
      }
      if (!rules.isArray()) {
        errors.add(Meta.name(policy) + ": overrideRules must be a list");
        continue;
      }
      for (int i = 0; i < rules.size(); i++) {
        JsonNode rule = rules.get(i);
        if (targets(rule.path("targetCluster"), cluster)) {
          RuleRun run = new RuleRun(Meta.name(policy) + " rule " + i, doc, applied, errors);
          run.apply(rule.path("overriders"));
          doc = run.doc();
        }
      }
    }
    return new Result((ObjectNode) doc, applied, errors);
  }

  /**
   * Whether the policy selects the template: it lives in the template's namespace, is not being
   * deleted, and one of its {@code resourceSelectors} matches by the scheduler's rule for
   * PropagationPolicies ({@link PolicyMatcher#match}): apiVersion and kind, then, if set,
   * namespace, and name or else {@code labelSelector}. A selector the hub cannot read selects
   * nothing.
   */
  public static boolean selects(ObjectNode overridePolicy, ObjectNode template) {
    String policyNamespace = Meta.namespace(overridePolicy);
    if (Meta.deleting(overridePolicy)
        || !policyNamespace.isEmpty() && !policyNamespace.equals(Meta.namespace(template))) {
      return false;
    }
    for (JsonNode s : overridePolicy.path("spec").path("resourceSelectors")) {
      ResourceSelector selector = read(s, ResourceSelector.class);
      if (selector != null && PolicyMatcher.match(selector, template).isPresent()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a rule's {@code targetCluster} covers the cluster. It is a {@link ClusterAffinity},
   * matched exactly as placement matches one ({@link ClusterView#matches}): absent or empty means
   * every cluster; otherwise the cluster must not be in {@code exclude} and must satisfy each of
   * {@code names}, {@code labelSelector}, {@code locations} and {@code kubernetesVersion}. A target
   * the hub cannot read covers no cluster.
   */
  public static boolean targets(JsonNode targetCluster, ClusterFacts c) {
    if (targetCluster == null || targetCluster.isMissingNode() || targetCluster.isNull()) {
      return true;
    }
    ClusterAffinity affinity = read(targetCluster, ClusterAffinity.class);
    return affinity != null && c.view().matches(affinity);
  }

  /** The typed form of a policy fragment, or null when it does not have that shape. */
  private static <T> T read(JsonNode node, Class<T> type) {
    if (!node.isObject()) {
      return null;
    }
    try {
      return ResourceCodec.JSON.treeToValue(node, type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      return null;
    }
  }
}
