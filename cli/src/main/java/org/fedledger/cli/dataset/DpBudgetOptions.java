package org.fedledger.cli.dataset;

import java.util.Optional;
import org.fedledger.core.proto.registry.PrivacyBudget;
import org.fedledger.ledger.registry.PrivacyAccounts;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The privacy budget options of {@code dataset register}: with them the dataset trains only DP
 * jobs, and only as long as its budget covers them. Checked against the chain's bounds before
 * anything is signed.
 */
public final class DpBudgetOptions {
  @Option(
      names = "--dp-epsilon",
      paramLabel = "E",
      description =
          "Privacy budget: the total epsilon, (0, 100], all DP jobs together may spend on this"
              + " dataset. With a budget the dataset joins only DP jobs.")
  Double epsilon;

  @Option(
      names = "--dp-delta",
      paramLabel = "D",
      description = "The budget's delta, (0, 0.01] (default with --dp-epsilon: 1e-5).")
  Double delta;

  /** The budget, or empty without --dp-epsilon. */
  Optional<PrivacyBudget> budget(CommandSpec spec) {
    if (epsilon == null) {
      check(spec, delta == null, "--dp-delta needs --dp-epsilon (the budget's epsilon)");
      return Optional.empty();
    }
    long epsilonMicros = Math.round(epsilon * 1e6);
    check(
        spec,
        epsilon > 0 && epsilonMicros >= 1 && epsilonMicros <= PrivacyAccounts.MAX_EPSILON_MICROS,
        "--dp-epsilon must be in (0, 100], got " + epsilon);
    double d = delta == null ? 1e-5 : delta;
    long deltaPerTrillion = Math.round(d * 1e12);
    check(
        spec,
        d > 0
            && deltaPerTrillion >= 1
            && deltaPerTrillion <= PrivacyAccounts.MAX_DELTA_PER_TRILLION,
        "--dp-delta must be in (0, 0.01], got " + d);
    return Optional.of(
        PrivacyBudget.newBuilder()
            .setEpsilonMicros(epsilonMicros)
            .setDeltaPerTrillion(deltaPerTrillion)
            .build());
  }

  private static void check(CommandSpec spec, boolean ok, String message) {
    if (!ok) {
      throw new CommandLine.ParameterException(spec.commandLine(), message);
    }
  }
}
