package dev.meridian.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.api.FieldError;
import dev.meridian.api.LabelSelector;
import dev.meridian.api.Meta;
import dev.meridian.api.policy.PropagationPolicy;
import dev.meridian.api.policy.ResourceSelector;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which PropagationPolicy or ClusterPropagationPolicy applies to a template.
 *
 * <p>A resource selector matches when {@code apiVersion} and {@code kind} are the template's and,
 * if set, {@code namespace} and then {@code name} (or, without a name, {@code labelSelector})
 * match. A PropagationPolicy only selects templates of its own namespace; a
 * ClusterPropagationPolicy selects templates of any namespace and cluster-scoped ones. Policies
 * being deleted select nothing.
 *
 * <p>When several policies select a template, the winner is, in order:
 *
 * <ol>
 *   <li>the higher {@code spec.priority} (absent = 0);
 *   <li>the more specific selector that matched: by name, over by label selector, over by kind
 *       only;
 *   <li>a PropagationPolicy over a ClusterPropagationPolicy;
 *   <li>the lexically smaller {@code namespace/name}.
 * </ol>
 *
 * The order is total, so every hub replica picks the same policy.
 */
public final class PolicyMatcher {
  private PolicyMatcher() {}

  /** How precisely a policy's best matching selector names a template. */
  public enum Specificity {
    KIND,
    LABEL_SELECTOR,
    NAME
  }

  /** The policy that applies to {@code template}, if any selects it. */
  public static Optional<PropagationPolicy> select(
      JsonNode template, Collection<PropagationPolicy> policies) {
    List<PropagationPolicy> ranked = rank(template, policies);
    return ranked.isEmpty() ? Optional.empty() : Optional.of(ranked.get(0));
  }

  /** Every policy that selects {@code template}, the one that applies first. */
  public static List<PropagationPolicy> rank(
      JsonNode template, Collection<PropagationPolicy> policies) {
    record Candidate(PropagationPolicy policy, Specificity specificity) {}
    List<Candidate> candidates = new ArrayList<>();
    for (PropagationPolicy p : policies) {
      specificity(p, template).ifPresent(s -> candidates.add(new Candidate(p, s)));
    }
    candidates.sort(
        Comparator.comparingInt((Candidate c) -> -priority(c.policy()))
            .thenComparing(c -> -c.specificity().ordinal())
            .thenComparing(c -> c.policy().isClusterScoped())
            .thenComparing(c -> key(c.policy())));
    return candidates.stream().map(Candidate::policy).toList();
  }

  /** Whether {@code policy} selects {@code template}. */
  public static boolean selects(PropagationPolicy policy, JsonNode template) {
    return specificity(policy, template).isPresent();
  }

  /** How specifically {@code policy} selects {@code template}; empty when it does not. */
  public static Optional<Specificity> specificity(PropagationPolicy policy, JsonNode template) {
    if (policy.spec() == null || policy.metadata() == null) {
      return Optional.empty();
    }
    if (policy.metadata().deletionTimestamp() != null) {
      return Optional.empty();
    }
    String templateNs = Meta.namespace(template);
    if (!policy.isClusterScoped()
        && !templateNs.equals(nullToEmpty(policy.metadata().namespace()))) {
      return Optional.empty();
    }
    Optional<Specificity> best = Optional.empty();
    for (ResourceSelector s : policy.spec().resourceSelectors()) {
      Optional<Specificity> m = match(s, template);
      if (m.isPresent() && (best.isEmpty() || m.get().compareTo(best.get()) > 0)) {
        best = m;
      }
    }
    return best;
  }

  /**
   * Whether one resource selector matches {@code template} (namespace rules of the policy kind
   * aside), and how specifically. OverridePolicies use the same selectors.
   */
  public static Optional<Specificity> match(ResourceSelector s, JsonNode template) {
    if (s == null
        || !Meta.apiVersion(template).equals(s.apiVersion())
        || !Meta.kind(template).equals(s.kind())) {
      return Optional.empty();
    }
    if (!nullToEmpty(s.namespace()).isEmpty() && !s.namespace().equals(Meta.namespace(template))) {
      return Optional.empty();
    }
    if (!nullToEmpty(s.name()).isEmpty()) {
      return s.name().equals(Meta.name(template))
          ? Optional.of(Specificity.NAME)
          : Optional.empty();
    }
    JsonNode ls = s.labelSelector();
    if (ls == null || ls.isNull() || ls.isEmpty()) {
      return Optional.of(Specificity.KIND);
    }
    List<FieldError> errors = new ArrayList<>();
    LabelSelector selector = LabelSelector.fromJson(ls, "labelSelector", errors);
    // an unreadable selector selects nothing; PolicyValidator rejects it with its path
    if (!errors.isEmpty() || !selector.matches(Meta.labels(template))) {
      return Optional.empty();
    }
    return Optional.of(Specificity.LABEL_SELECTOR);
  }

  private static int priority(PropagationPolicy p) {
    return p.spec().priorityOrDefault();
  }

  private static String key(PropagationPolicy p) {
    return nullToEmpty(p.metadata().namespace()) + "/" + nullToEmpty(p.metadata().name());
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
