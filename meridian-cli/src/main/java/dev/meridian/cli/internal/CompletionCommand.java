package dev.meridian.cli.internal;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code meridian completion bash|zsh}: the shell completion script. */
@Command(
    name = "completion",
    description = "Print a shell completion script.",
    footer = {"", "Load it with: source <(meridian completion bash)"})
public final class CompletionCommand implements Callable<Integer> {
  /** The shells the script supports; picocli's bash script runs in zsh through bashcompinit. */
  enum Shell {
    BASH,
    ZSH
  }

  private final CliContext ctx;

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
  Shell shell;

  public CompletionCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    // generated from the root at run time, so subcommands added by the app are completed too
    ctx.out().print(AutoComplete.bash(spec.root().name(), spec.root().commandLine()));
    ctx.out().flush();
    return 0;
  }
}
