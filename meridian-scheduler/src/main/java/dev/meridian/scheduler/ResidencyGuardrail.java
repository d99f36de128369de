package dev.meridian.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.api.FieldError;
import dev.meridian.api.LabelSelector;
import dev.meridian.api.Meta;
import dev.meridian.api.policy.ResidencyPolicy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The ResidencyPolicies that select one template, and what they allow: no placement, override,
 * failover or manual move may put the template on a cluster a {@code Deny} policy excludes. The
 * allowed locations are the intersection of every selecting policy's: a cluster must satisfy each.
 *
 * <p>Fail-closed: a policy whose selector cannot be read selects every template, and a {@code
 * namespaceSelector} whose namespace labels are unknown (null) selects the template, so that a
 * broken or incomplete input never lets a template out of its allowed locations.
 *
 * @param policies the selecting policies, in name order
 */
public record ResidencyGuardrail(List<ResidencyPolicy> policies) {

  /** No guardrail: every location is allowed. */
  public static final ResidencyGuardrail NONE = new ResidencyGuardrail(List.of());

  public ResidencyGuardrail {
    policies = policies.stream().sorted(Comparator.comparing(ResidencyGuardrail::name)).toList();
  }

  /**
   * The guardrail of {@code template} among {@code all} ResidencyPolicies.
   *
   * @param namespaceLabels the labels of the template's namespace; null when unknown (then a policy
   *     with a {@code namespaceSelector} applies)
   */
  public static ResidencyGuardrail forTemplate(
      JsonNode template, Map<String, String> namespaceLabels, Collection<ResidencyPolicy> all) {
    List<ResidencyPolicy> selecting = new ArrayList<>();
    for (ResidencyPolicy p : all) {
      if (selects(p, template, namespaceLabels)) {
        selecting.add(p);
      }
    }
    return new ResidencyGuardrail(selecting);
  }

  /**
   * Whether {@code policy} selects {@code template}: its {@code resourceSelector} matches the
   * template's labels and, for a namespaced template, its {@code namespaceSelector} (if any)
   * matches the namespace's labels. A Namespace template is matched on its own labels; other
   * cluster-scoped templates ignore the {@code namespaceSelector}, as Kubernetes admission webhooks
   * do.
   */
  public static boolean selects(
      ResidencyPolicy policy, JsonNode template, Map<String, String> namespaceLabels) {
    if (policy.spec() == null) {
      return false;
    }
    if (!selector(policy.spec().resourceSelector()).matches(Meta.labels(template))) {
      return false;
    }
    JsonNode nsSelector = policy.spec().namespaceSelector();
    if (nsSelector == null || nsSelector.isNull()) {
      return true;
    }
    if (Meta.kind(template).equals("Namespace") && Meta.apiVersion(template).equals("v1")) {
      return selector(nsSelector).matches(Meta.labels(template));
    }
    if (Meta.namespace(template).isEmpty()) {
      return true;
    }
    return namespaceLabels == null || selector(nsSelector).matches(namespaceLabels);
  }

  public boolean isEmpty() {
    return policies.isEmpty();
  }

  /** Why the {@code Deny} policies forbid {@code cluster}; empty when it is allowed. */
  public List<String> violations(ClusterView cluster) {
    return findings(cluster, ResidencyPolicy.Enforcement.Deny);
  }

  /** What the {@code Audit} policies would forbid on {@code cluster} (reported, not enforced). */
  public List<String> auditFindings(ClusterView cluster) {
    return findings(cluster, ResidencyPolicy.Enforcement.Audit);
  }

  /** The countries every {@code Deny} policy allows; empty when none constrains countries. */
  public Optional<Set<String>> allowedCountries() {
    return intersection(true);
  }

  /** The regions every {@code Deny} policy allows; empty when none constrains regions. */
  public Optional<Set<String>> allowedRegions() {
    return intersection(false);
  }

  /** The names of the {@code Deny} policies, for messages. */
  public List<String> denyingPolicies() {
    return policies.stream()
        .filter(p -> p.spec().enforcementOrDefault() == ResidencyPolicy.Enforcement.Deny)
        .map(ResidencyGuardrail::name)
        .toList();
  }

  private List<String> findings(ClusterView cluster, ResidencyPolicy.Enforcement enforcement) {
    List<String> out = new ArrayList<>();
    for (ResidencyPolicy p : policies) {
      if (p.spec().enforcementOrDefault() != enforcement || p.spec().allowedLocations() == null) {
        continue;
      }
      String label =
          (enforcement == ResidencyPolicy.Enforcement.Audit ? "residency (audit): " : "residency: ")
              + "ResidencyPolicy "
              + name(p)
              + " allows ";
      List<String> countries = p.spec().allowedLocations().countries();
      if (countries != null && !countries.isEmpty()) {
        String country = cluster.location().country();
        if (country == null || country.isEmpty()) {
          out.add(label + "countries " + countries + ", cluster's country is unknown");
        } else if (!containsIgnoreCase(countries, country)) {
          out.add(label + "countries " + countries + ", cluster is in " + country);
        }
      }
      List<String> regions = p.spec().allowedLocations().regions();
      if (regions != null && !regions.isEmpty()) {
        String region = cluster.location().region();
        if (region == null || region.isEmpty()) {
          out.add(label + "regions " + regions + ", cluster's region is unknown");
        } else if (!regions.contains(region)) {
          out.add(label + "regions " + regions + ", cluster is in region " + region);
        }
      }
    }
    return out;
  }

  private Optional<Set<String>> intersection(boolean countries) {
    Set<String> out = null;
    for (ResidencyPolicy p : policies) {
      if (p.spec().enforcementOrDefault() != ResidencyPolicy.Enforcement.Deny
          || p.spec().allowedLocations() == null) {
        continue;
      }
      List<String> allowed =
          countries
              ? p.spec().allowedLocations().countries()
              : p.spec().allowedLocations().regions();
      if (allowed == null || allowed.isEmpty()) {
        continue;
      }
      Set<String> these = new LinkedHashSet<>();
      for (String a : allowed) {
        these.add(countries ? a.toUpperCase(Locale.ROOT) : a);
      }
      if (out == null) {
        out = these;
      } else {
        out.retainAll(these);
      }
    }
    return Optional.ofNullable(out).map(Set::copyOf);
  }

  private static boolean containsIgnoreCase(List<String> values, String value) {
    for (String v : values) {
      if (v.equalsIgnoreCase(value)) {
        return true;
      }
    }
    return false;
  }

  private static LabelSelector selector(JsonNode node) {
    List<FieldError> errors = new ArrayList<>();
    LabelSelector s = LabelSelector.fromJson(node, "selector", errors);
    return errors.isEmpty() ? s : LabelSelector.EVERYTHING;
  }

  private static String name(ResidencyPolicy p) {
    return p.metadata() == null || p.metadata().name() == null ? "" : p.metadata().name();
  }
}
