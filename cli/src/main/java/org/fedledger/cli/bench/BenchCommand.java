package org.fedledger.cli.bench;

import org.fedledger.cli.nemesis.NemesisBenchCommand;
import org.fedledger.cli.trust.TrustBenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code fedledger bench}: groups the load generators. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measure fedledger on this machine; results as JSON, progress on stderr.",
      "Micro-benchmarks (JMH) are in bench/target/benchmarks.jar; see BENCHMARKS.md."
    },
    subcommands = {
      LedgerBenchCommand.class,
      TrustBenchCommand.class,
      PrivacyBenchCommand.class,
      ServeBenchCommand.class,
      NemesisBenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  /**
   * Runs {@code bench} on its own, e.g. from the benchmarks jar: {@code java -cp
   * bench/target/benchmarks.jar org.fedledger.cli.bench.BenchCommand ledger --nodes 1 ...}.
   */
  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchCommand()).execute(args));
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }
}
