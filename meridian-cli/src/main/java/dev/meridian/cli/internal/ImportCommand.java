package dev.meridian.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.FieldError;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.karmada.KarmadaPolicies;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code meridian import karmada -f FILE|DIR}: converts Karmada's policies to Meridian's offline,
 * as the hub does when it is given them, and prints the result (YAML, ready for {@code meridian
 * apply -f -}). Objects that are not Karmada policies pass through unchanged.
 */
@Command(
    name = "import",
    description = "Convert another tool's objects to Meridian's, offline: import karmada -f DIR.",
    footer = {
      "",
      "karmada: PropagationPolicy, ClusterPropagationPolicy and OverridePolicy of"
          + " policy.karmada.io/v1alpha1 become Meridian's kinds of the same names; a field"
          + " Meridian cannot honour is an error naming it (docs/karmada.md maps every field)."
          + " Other objects (the templates) are printed as they are. No hub is contacted."
    })
public final class ImportCommand implements Callable<Integer> {
  private final CliContext ctx;

  @Parameters(index = "0", paramLabel = "DIALECT", description = "What to convert from: karmada.")
  String dialect;

  @Option(
      names = {"-f", "--filename"},
      required = true,
      paramLabel = "FILE|DIR|-",
      description =
          "Objects to convert: a file, a directory (its *.yaml, *.yml and *.json files), or -"
              + " for standard input. Repeatable.")
  List<String> files;

  public ImportCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    if (!"karmada".equals(dialect)) {
      throw CliException.usage("can import karmada, not \"" + dialect + "\"");
    }
    List<ObjectNode> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Manifest m : ManifestReader.read(files, ctx.stdin())) {
      ObjectNode o = m.object();
      if (!KarmadaPolicies.converts(Meta.apiVersion(o), Meta.kind(o))) {
        if (Meta.apiVersion(o).equals(KarmadaPolicies.API_VERSION)) {
          problems.add(m.where() + ": not supported yet (no Meridian counterpart)");
        } else {
          out.add(o);
        }
        continue;
      }
      KarmadaPolicies.Conversion c = KarmadaPolicies.importing(o);
      if (!c.ok()) {
        for (FieldError e : c.errors()) {
          problems.add(m.where() + ": " + e.field() + ": " + e.message());
        }
        continue;
      }
      out.add(c.object());
    }
    if (!problems.isEmpty()) {
      problems.forEach(p -> ctx.err().println("error: " + p));
      return CliException.FAILURE;
    }
    for (ObjectNode o : out) {
      ctx.out().print("---\n" + ResourceCodec.toYaml(o));
    }
    return 0;
  }
}
