package dev.meridian.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.DecodeException;
import dev.meridian.api.FieldError;
import dev.meridian.api.Meta;
import dev.meridian.api.ObjectValidator;
import dev.meridian.api.ResourceType;
import dev.meridian.api.ResourceTypes;
import dev.meridian.api.Typed;
import dev.meridian.api.fleet.Cluster;
import dev.meridian.api.policy.PropagationPolicy;
import dev.meridian.api.policy.ResidencyPolicy;
import dev.meridian.scheduler.ClusterView;
import dev.meridian.scheduler.Decision;
import dev.meridian.scheduler.PolicyMatcher;
import dev.meridian.scheduler.PolicyValidator;
import dev.meridian.scheduler.ResidencyGuardrail;
import dev.meridian.scheduler.Scheduler;
import dev.meridian.scheduler.SchedulingInput;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code meridian plan -f FILE... --clusters FILE [-o json]}: the hub's scheduler, offline. Reads
 * templates and PropagationPolicies, ClusterPropagationPolicies and ResidencyPolicies from the
 * {@code -f} files and Clusters (with their {@code status.allocatable}) from {@code --clusters},
 * then prints, for every template, where it would go and why every other cluster would not.
 */
@Command(
    name = "plan",
    description = "Schedule templates offline on clusters from a file and explain every decision.",
    footer = {
      "",
      "Templates are every object of the -f files that is not one of Meridian's own kinds."
          + " Policies must be valid as the hub would accept them. --clusters holds Cluster"
          + " objects, and may hold ResidencyPolicies (a fleet file). No hub is contacted.",
      "",
      "-o json prints {\"decisions\":[{\"resource\":{...},\"policy\":\"ns/name\",\"clusters\":"
          + "[{\"name\",\"replicas\"}],\"excluded\":[{\"cluster\",\"reasons\"}],"
          + "\"unschedulable\":null|\"reason\",\"warnings\":[...],\"affinityName\"}]}."
    })
public final class PlanCommand implements Callable<Integer> {
  private static final ResourceTypes TYPES = ResourceTypes.standard();

  private final CliContext ctx;

  @Option(
      names = {"-f", "--filename"},
      required = true,
      paramLabel = "FILE|DIR|-",
      description =
          "Templates and policies: a file, a directory (its *.yaml, *.yml and *.json files),"
              + " or - for standard input. Repeatable.")
  List<String> files;

  @Option(
      names = "--clusters",
      required = true,
      paramLabel = "FILE|DIR|-",
      description = "Cluster objects (with status.allocatable), and optionally ResidencyPolicies.")
  String clusters;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      converter = FormatConverter.class,
      description = "text (default) or json.")
  Format output = Format.TEXT;

  /** How the plan is printed. */
  public enum Format {
    TEXT,
    JSON
  }

  public PlanCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    if (files.contains("-") && clusters.equals("-")) {
      throw CliException.usage(
          "standard input can be read once: not by both -f - and --clusters -");
    }
    Fleet fleet = Fleet.read(ManifestReader.read(List.of(clusters), ctx.stdin()));
    Inputs inputs = Inputs.read(ManifestReader.read(files, ctx.stdin()), fleet, ctx.err());
    List<Decision> decisions = new ArrayList<>();
    for (ObjectNode template : inputs.templates) {
      decisions.add(decide(template, inputs, fleet));
    }
    for (int i = 0; i < inputs.policies.size(); i++) {
      PropagationPolicy p = inputs.policies.get(i);
      if (inputs.templates.stream().noneMatch(t -> PolicyMatcher.selects(p, t))) {
        ctx.err()
            .println("Warning: " + inputs.policySources.get(i).where() + ": selects no template");
      }
    }
    if (output == Format.JSON) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      ArrayNode list = out.putArray("decisions");
      decisions.forEach(d -> list.add(d.toJson()));
      ctx.out().print(JsonText.pretty(out));
    } else {
      printText(decisions, ctx.out());
    }
    return 0;
  }

  private static Decision decide(ObjectNode template, Inputs inputs, Fleet fleet) {
    Optional<PropagationPolicy> policy = PolicyMatcher.select(template, inputs.policies);
    if (policy.isEmpty()) {
      return Decision.noPolicy(Decision.Resource.of(template));
    }
    List<ResidencyPolicy> residency = new ArrayList<>(fleet.residency);
    residency.addAll(inputs.residency);
    String ns = Meta.namespace(template);
    ResidencyGuardrail guardrail =
        ResidencyGuardrail.forTemplate(template, inputs.namespaceLabels.get(ns), residency);
    return Scheduler.schedule(
        SchedulingInput.of(template, policy.get(), fleet.views).withGuardrail(guardrail));
  }

  /** The clusters of {@code --clusters}, and the ResidencyPolicies that came with them. */
  private record Fleet(
      List<ClusterView> views, Set<String> names, List<ResidencyPolicy> residency) {
    static Fleet read(List<Manifest> manifests) {
      List<ClusterView> views = new ArrayList<>();
      Set<String> names = new LinkedHashSet<>();
      List<ResidencyPolicy> residency = new ArrayList<>();
      for (Manifest m : manifests) {
        ObjectNode obj = m.object();
        if (is(obj, Cluster.API_VERSION, Cluster.KIND)) {
          checkSchema(m, obj);
          ClusterView v = clusterView(m, obj);
          if (!names.add(v.name())) {
            throw new CliException(m.where() + ": a second Cluster named \"" + v.name() + "\"");
          }
          views.add(v);
        } else if (is(obj, ResidencyPolicy.API_VERSION, ResidencyPolicy.KIND)) {
          residency.add(residencyPolicy(m, obj));
        } else {
          throw new CliException(
              m.where()
                  + ": --clusters holds Cluster objects (and ResidencyPolicies), not "
                  + Meta.kind(obj));
        }
      }
      if (views.isEmpty()) {
        throw new CliException("no Cluster objects in --clusters " + manifests.get(0).source());
      }
      return new Fleet(views, names, residency);
    }
  }

  /** What the {@code -f} files hold: templates in file order, policies, namespace labels. */
  private static final class Inputs {
    final List<ObjectNode> templates = new ArrayList<>();
    final List<PropagationPolicy> policies = new ArrayList<>();
    final List<Manifest> policySources = new ArrayList<>();
    final List<ResidencyPolicy> residency = new ArrayList<>();
    final Map<String, Map<String, String>> namespaceLabels = new HashMap<>();

    static Inputs read(List<Manifest> manifests, Fleet fleet, PrintWriter err) {
      Inputs in = new Inputs();
      for (Manifest m : manifests) {
        ObjectNode obj = m.object();
        if (is(obj, PropagationPolicy.API_VERSION, PropagationPolicy.KIND)
            || is(obj, PropagationPolicy.API_VERSION, PropagationPolicy.CLUSTER_KIND)) {
          in.policies.add(propagationPolicy(m, obj, fleet.names(), err));
          in.policySources.add(m);
        } else if (is(obj, ResidencyPolicy.API_VERSION, ResidencyPolicy.KIND)) {
          in.residency.add(residencyPolicy(m, obj));
        } else if (isMeridianKind(obj)) {
          if (TYPES.byKind(Meta.apiVersion(obj), Meta.kind(obj)).isEmpty()) {
            throw new CliException(
                m.where() + ": no kind \"" + Meta.kind(obj) + "\" in " + Meta.apiVersion(obj));
          }
          // Clusters, OverridePolicies, ...: not templates, and not what placement reads
        } else {
          ObjectNode template = withNamespace(obj);
          if (is(template, "v1", "Namespace")) {
            in.namespaceLabels.put(Meta.name(template), Meta.labels(template));
          }
          in.templates.add(template);
        }
      }
      return in;
    }
  }

  private static PropagationPolicy propagationPolicy(
      Manifest m, ObjectNode obj, Set<String> clusterNames, PrintWriter err) {
    ObjectNode policy = withNamespace(obj);
    checkSchema(m, policy);
    PolicyValidator.Report report = PolicyValidator.validate(policy, clusterNames);
    if (!report.ok()) {
      throw invalid(m, report.errors());
    }
    for (FieldError w : report.warnings()) {
      err.println("Warning: " + OneLine.safe(m.where() + ": " + w));
    }
    return read(m, policy, PropagationPolicy.class);
  }

  private static ResidencyPolicy residencyPolicy(Manifest m, ObjectNode obj) {
    checkSchema(m, obj);
    PolicyValidator.Report report = PolicyValidator.validate(obj, null);
    if (!report.ok()) {
      throw invalid(m, report.errors());
    }
    return read(m, obj, ResidencyPolicy.class);
  }

  private static ClusterView clusterView(Manifest m, ObjectNode obj) {
    try {
      return ClusterView.of(read(m, obj, Cluster.class));
    } catch (IllegalArgumentException e) {
      throw new CliException(OneLine.safe(m.where() + ": " + e.getMessage()));
    }
  }

  /** Validates a Meridian object as the hub would: envelope, metadata and schema. */
  private static void checkSchema(Manifest m, ObjectNode obj) {
    ResourceType type = TYPES.byKind(Meta.apiVersion(obj), Meta.kind(obj)).orElseThrow();
    List<FieldError> errors = ObjectValidator.validate(obj, type);
    if (!errors.isEmpty()) {
      throw invalid(m, errors);
    }
  }

  private static CliException invalid(Manifest m, List<FieldError> errors) {
    String more = errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "";
    return new CliException(OneLine.safe(m.where() + ": " + errors.get(0) + more));
  }

  private static <T> T read(Manifest m, ObjectNode obj, Class<T> type) {
    try {
      return Typed.read(obj, type);
    } catch (DecodeException e) {
      throw new CliException(OneLine.safe(m.where() + ": " + e.getMessage()));
    }
  }

  /**
   * A copy in namespace {@code default} when it is of a namespaced kind and names none, as {@code
   * apply} would create it; kinds the CLI does not know are taken as namespaced.
   */
  private static ObjectNode withNamespace(ObjectNode obj) {
    boolean namespaced =
        TYPES
            .byKind(Meta.apiVersion(obj), Meta.kind(obj))
            .map(ResourceType::namespaced)
            .orElse(true);
    if (!namespaced || !Meta.namespace(obj).isEmpty()) {
      return obj;
    }
    ObjectNode copy = obj.deepCopy();
    Meta.metadata(copy).put("namespace", "default");
    return copy;
  }

  private static boolean is(ObjectNode obj, String apiVersion, String kind) {
    return Meta.apiVersion(obj).equals(apiVersion) && Meta.kind(obj).equals(kind);
  }

  private static boolean isMeridianKind(ObjectNode obj) {
    String group = Meta.apiVersion(obj).split("/", 2)[0];
    return group.endsWith(".meridian.dev");
  }

  /**
   * One block per template:
   *
   * <pre>
   * Deployment shop/web  (policy shop/web)
   *   placed on 2 clusters:
   *     eu-west-1   4 replicas
   *   excluded 1 cluster:
   *     us-east-1   residency: ...
   * </pre>
   */
  static void printText(List<Decision> decisions, PrintWriter out) {
    boolean first = true;
    for (Decision d : decisions) {
      if (!first) {
        out.println();
      }
      first = false;
      String head = OneLine.safe(d.resource().toString());
      if (d.policy() == null) {
        out.println(head);
        out.println("  " + Decision.NO_POLICY);
        continue;
      }
      out.println(
          head
              + "  (policy "
              + OneLine.safe(d.policy())
              + (d.affinityName() == null ? "" : ", affinity " + OneLine.safe(d.affinityName()))
              + ")");
      int width = 0;
      for (Decision.Target t : d.targets()) {
        width = Math.max(width, t.cluster().length());
      }
      for (String c : d.exclusions().keySet()) {
        width = Math.max(width, c.length());
      }
      if (d.unschedulable() != null) {
        out.println("  unschedulable: " + OneLine.safe(d.unschedulable()));
      } else {
        out.println("  placed on " + count(d.targets().size(), "cluster") + ":");
        for (Decision.Target t : d.targets()) {
          String replicas = t.replicas() == null ? "" : count(t.replicas(), "replica");
          out.println(("    " + pad(t.cluster(), width) + "  " + replicas).stripTrailing());
        }
      }
      if (!d.exclusions().isEmpty()) {
        out.println("  excluded " + count(d.exclusions().size(), "cluster") + ":");
        for (Map.Entry<String, List<String>> e : d.exclusions().entrySet()) {
          List<String> reasons = e.getValue();
          for (int i = 0; i < reasons.size(); i++) {
            String name = i == 0 ? e.getKey() : "";
            out.println("    " + pad(name, width) + "  " + OneLine.safe(reasons.get(i)));
          }
        }
      }
      for (String w : d.warnings()) {
        out.println("  warning: " + OneLine.safe(w));
      }
    }
    out.flush();
  }

  private static String pad(String s, int width) {
    return OneLine.safe(s) + " ".repeat(Math.max(0, width - s.length()));
  }

  private static String count(long n, String word) {
    return n + " " + word + (n == 1 ? "" : "s");
  }

  /** Reads {@code -o} as users type it. */
  static final class FormatConverter implements ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      for (Format f : Format.values()) {
        if (f.name().equalsIgnoreCase(value)) {
          return f;
        }
      }
      throw new TypeConversionException(
          "unknown output format \"" + OneLine.safe(value) + "\": expected text or json");
    }
  }
}
