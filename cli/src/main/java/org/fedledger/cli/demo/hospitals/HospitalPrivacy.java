package org.fedledger.cli.demo.hospitals;

import java.util.ArrayList;
import java.util.List;
import org.fedledger.core.privacy.RdpAccountant;
import org.fedledger.core.proto.registry.Dataset;
import org.fedledger.core.proto.registry.PrivacyAccount;
import org.fedledger.core.proto.registry.PrivacyBudget;
import org.fedledger.core.proto.training.DpParams;
import org.fedledger.learning.train.TrainConfig;
import org.fedledger.ledger.Ledger;
import org.fedledger.ledger.registry.PrivacyAccounts;

/**
 * {@code fedledger demo --scenario hospitals --dp-epsilon E [--dp-delta D]}: every hospital trains
 * with DP-SGD so that each of its patients is (E, D)-private after all rounds, and registers its
 * dataset with a budget of twice that, room for this job and one more like it.
 *
 * <p>The job's DP parameters follow {@code job create --dp-epsilon}'s rule: clip norm 1; a Poisson
 * rate of the job's batch size over the hospitals' mean training split, so a step takes a batch as
 * large as plain training's on average; as many steps per round as the job's local epochs take at
 * that rate; and the smallest noise multiplier core's accountant allows for E over all rounds, the
 * accountant the chain prices the job with.
 *
 * @param epsilonMicros the job's ε for every record, in millionths
 * @param deltaPerTrillion its δ, in parts per trillion
 */
public record HospitalPrivacy(long epsilonMicros, long deltaPerTrillion) {
  /** Per-example gradient clip norm. */
  public static final long CLIP_NORM_MICROS = 1_000_000;

  /** Each hospital's budget is this many times the job's (ε, δ). */
  public static final int BUDGET_MULTIPLE = 2;

  public HospitalPrivacy {
    if (epsilonMicros < 1 || epsilonMicros * BUDGET_MULTIPLE > PrivacyAccounts.MAX_EPSILON_MICROS) {
      throw new IllegalArgumentException(
          "--dp-epsilon must be in (0, "
              + PrivacyAccounts.epsilon(PrivacyAccounts.MAX_EPSILON_MICROS / BUDGET_MULTIPLE)
              + "]: each hospital's budget is "
              + BUDGET_MULTIPLE
              + " times it and a budget holds at most "
              + PrivacyAccounts.epsilon(PrivacyAccounts.MAX_EPSILON_MICROS)
              + ", got "
              + PrivacyAccounts.epsilon(epsilonMicros));
    }
    if (deltaPerTrillion < 1
        || deltaPerTrillion * BUDGET_MULTIPLE > PrivacyAccounts.MAX_DELTA_PER_TRILLION) {
      throw new IllegalArgumentException(
          "--dp-delta must be in [1e-12, "
              + PrivacyAccounts.delta(PrivacyAccounts.MAX_DELTA_PER_TRILLION / BUDGET_MULTIPLE)
              + "], got "
              + PrivacyAccounts.delta(deltaPerTrillion));
    }
  }

  /** From the command line's decimals. */
  public static HospitalPrivacy of(double epsilon, double delta) {
    if (!(epsilon > 0) || !(delta > 0)) {
      throw new IllegalArgumentException(
          "--dp-epsilon and --dp-delta must be positive, got " + epsilon + " and " + delta);
    }
    return new HospitalPrivacy(Math.round(epsilon * 1e6), Math.round(delta * 1e12));
  }

  /** What each hospital registers its dataset with. */
  public PrivacyBudget budget() {
    return PrivacyBudget.newBuilder()
        .setEpsilonMicros(epsilonMicros * BUDGET_MULTIPLE)
        .setDeltaPerTrillion(deltaPerTrillion * BUDGET_MULTIPLE)
        .build();
  }

  /**
   * The job's DP-SGD parameters for the demo's hospitals training as {@code training} says for
   * {@code rounds} rounds.
   *
   * @throws IllegalArgumentException if no noise multiplier up to 1000 reaches ε
   */
  public DpParams params(TrainConfig training, int rounds) {
    double meanTraining = 0;
    List<PatientRecords.Hospital> hospitals = PatientRecords.demoHospitals();
    for (PatientRecords.Hospital h : hospitals) {
      meanTraining += h.patients() * (1 - HospitalJob.TEST_FRACTION_PPM / 1e6);
    }
    meanTraining /= hospitals.size();
    long ratePpm = Math.min(1_000_000, (long) Math.ceil(training.batchSize() * 1e6 / meanTraining));
    long steps = Math.max(1, Math.round(training.epochs() * 1e6 / ratePpm));
    long noiseMicros =
        RdpAccountant.noiseMultiplierMicrosFor(
            epsilonMicros, deltaPerTrillion, ratePpm, Math.multiplyExact(steps, rounds));
    return DpParams.newBuilder()
        .setClipNormMicros(CLIP_NORM_MICROS)
        .setNoiseMultiplierMicros(noiseMicros)
        .setSampleRatePpm(ratePpm)
        .setLocalSteps(steps)
        .setDeltaPerTrillion(deltaPerTrillion)
        .build();
  }

  /**
   * One dataset's budget as the chain holds it, in ε and δ.
   *
   * @param dataset the dataset's id
   * @param budgetEpsilon the budget its owner registered
   * @param spentEpsilon what its released updates have cost
   * @param reservedEpsilon what jobs still open or running hold beyond what they spent
   * @param remainingEpsilon budget − spent − reserved
   */
  public record DatasetBudget(
      String dataset,
      double budgetEpsilon,
      double budgetDelta,
      double spentEpsilon,
      double spentDelta,
      double reservedEpsilon,
      double remainingEpsilon,
      double remainingDelta) {}

  /** The datasets' budgets as the chain holds them now, in the given order. */
  public static List<DatasetBudget> budgets(Ledger ledger, List<String> datasetIds) {
    List<DatasetBudget> out = new ArrayList<>();
    for (String id : datasetIds) {
      Dataset d =
          ledger
              .query(q -> ledger.contracts().registry().dataset(q, id))
              .orElseThrow(() -> new IllegalStateException("dataset " + id + " is not on chain"));
      PrivacyAccount a =
          ledger
              .query(q -> ledger.contracts().registry().privacyAccount(q, id))
              .orElseThrow(() -> new IllegalStateException("dataset " + id + " has no budget"));
      PrivacyBudget remaining = PrivacyAccounts.remaining(d, a);
      out.add(
          new DatasetBudget(
              id,
              d.getPrivacyBudget().getEpsilonMicros() / 1e6,
              d.getPrivacyBudget().getDeltaPerTrillion() / 1e12,
              a.getSpentEpsilonMicros() / 1e6,
              a.getSpentDeltaPerTrillion() / 1e12,
              a.getReservedEpsilonMicros() / 1e6,
              remaining.getEpsilonMicros() / 1e6,
              remaining.getDeltaPerTrillion() / 1e12));
    }
    return out;
  }
}
