package io.layerproof.node.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code layerproof} command line: one subcommand per job a node does. */
@Command(
    name = "layerproof",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "A node of the Layerproof compute marketplace.",
    subcommands = {
      DevnetCommand.class,
      ModelCommand.class,
      BenchCommand.class,
      AuditCommand.class,
      WalletCommand.class,
      P2pCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    // No subcommand given: show what there is rather than doing something surprising.
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, shared by {@link #main} and tests. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    // Users get one line for bad input, not a stack trace.
    cli.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          cmd.getErr().println(cmd.getColorScheme().errorText("error: " + ex.getMessage()));
          return 1;
        });
    return cli;
  }
}
