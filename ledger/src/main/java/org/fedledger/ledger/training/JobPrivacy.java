package org.fedledger.ledger.training;

import java.util.Optional;
import org.fedledger.core.privacy.RdpAccountant;
import org.fedledger.core.proto.registry.Dataset;
import org.fedledger.core.proto.registry.PrivacyAccount;
import org.fedledger.core.proto.registry.PrivacyBudget;
import org.fedledger.core.proto.training.CreateJob;
import org.fedledger.core.proto.training.DpAccounting;
import org.fedledger.core.proto.training.DpParams;
import org.fedledger.core.proto.training.Job;
import org.fedledger.ledger.module.TxFailedException;
import org.fedledger.ledger.registry.PrivacyAccounts;

/**
 * A DP job's rules on chain: which DP parameters a job may name, what it costs each dataset that
 * trains it (computed with core's deterministic RDP accountant: integers only, the same on every
 * node), and which datasets may join it. Inside a job, privacy loss composes under Renyi DP, so a
 * dataset that released k updates has spent the accountant's epsilon for k x local_steps steps, far
 * less than k times one round's; across jobs the registry adds costs up (basic composition).
 */
final class JobPrivacy {
  /** Clip norm C at most 1000: per-example gradient norms beyond that mean no clipping at all. */
  static final long MAX_CLIP_NORM_MICROS = 1_000_000_000L;

  /** Noise multiplier sigma at most 1000: beyond, updates are noise and the job learns nothing. */
  static final long MAX_NOISE_MULTIPLIER_MICROS = 1_000_000_000L;

  /** One round's DP-SGD steps at each participant. */
  static final long MAX_LOCAL_STEPS = 100_000;

  /** rounds x local_steps: bounds the accountant's work and the length of a job's schedule. */
  static final long MAX_TOTAL_STEPS = 10_000_000;

  private JobPrivacy() {}

  /**
   * Validates a CreateJob's DP parameters and computes what the job costs each dataset; empty for a
   * job without DP. Refused with the reason: a parameter that is zero, negative (a uint64 above
   * 2^63-1) or absurd, a job that also standardizes (the statistics step releases exact feature
   * statistics, which DP-SGD does not cover), parameters the accountant refuses, and a job whose
   * epsilon no budget could hold.
   */
  static Optional<DpAccounting> accounting(CreateJob m) throws TxFailedException {
    if (!m.hasDp()) {
      return Optional.empty();
    }
    DpParams p = m.getDp();
    JobRules.range("dp.clip_norm_micros", p.getClipNormMicros(), 1, MAX_CLIP_NORM_MICROS);
    JobRules.range(
        "dp.noise_multiplier_micros", p.getNoiseMultiplierMicros(), 1, MAX_NOISE_MULTIPLIER_MICROS);
    JobRules.range("dp.sample_rate_ppm", p.getSampleRatePpm(), 1, 1_000_000);
    JobRules.range("dp.local_steps", p.getLocalSteps(), 1, MAX_LOCAL_STEPS);
    JobRules.range(
        "dp.delta_per_trillion",
        p.getDeltaPerTrillion(),
        1,
        PrivacyAccounts.MAX_DELTA_PER_TRILLION);
    // Both bounded above, so the product fits a long.
    long total = m.getRounds() * p.getLocalSteps();
    if (total > MAX_TOTAL_STEPS) {
      throw Fail.invalid(
          "rounds x dp.local_steps is "
              + total
              + " DP-SGD steps, more than "
              + MAX_TOTAL_STEPS
              + "; train fewer rounds or steps per round");
    }
    if (m.getStandardize()) {
      throw Fail.invalid(
          "a DP job cannot standardize: the statistics step releases each owner's exact feature"
              + " statistics, which DP-SGD does not protect; create the job without standardize");
    }
    long epsilon;
    try {
      epsilon = accountant(p).epsilonMicros(total, p.getDeltaPerTrillion());
    } catch (IllegalArgumentException e) {
      throw Fail.invalid("the privacy accountant refuses these DP parameters: " + e.getMessage());
    }
    if (epsilon > PrivacyAccounts.MAX_EPSILON_MICROS) {
      throw Fail.invalid(
          "the job's epsilon after "
              + total
              + " steps would be "
              + PrivacyAccounts.epsilon(epsilon)
              + ", beyond any budget (at most "
              + PrivacyAccounts.epsilon(PrivacyAccounts.MAX_EPSILON_MICROS)
              + "); raise dp.noise_multiplier_micros, lower dp.sample_rate_ppm or train fewer"
              + " steps");
    }
    return Optional.of(
        DpAccounting.newBuilder()
            .setEpsilonMicros(epsilon)
            .setDeltaPerTrillion(p.getDeltaPerTrillion())
            .setTotalSteps(total)
            .build());
  }

  /**
   * What joining the job reserves on a dataset's budget: its epsilon after all rounds, its delta.
   */
  static PrivacyBudget cost(Job job) {
    DpAccounting a = job.getDpAccounting();
    return PrivacyBudget.newBuilder()
        .setEpsilonMicros(a.getEpsilonMicros())
        .setDeltaPerTrillion(a.getDeltaPerTrillion())
        .build();
  }

  /** A job whose schedule covers at least some number of updates, and what they cost. */
  record Priced(Job job, PrivacyBudget cumulative) {}

  /**
   * The cumulative cost of a dataset's first {@code updates} updates of the job, from the job's
   * schedule. An entry is computed the first time any dataset reaches it and kept in the job: one
   * accountant call per round, not one per update, and none at creation for rounds that may never
   * run. Beyond the job's rounds (a dataset reselected in a reopened round) the schedule simply
   * goes on, with the parameters the job was created with.
   */
  static Priced cumulative(Job job, long updates) throws TxFailedException {
    DpAccounting a = job.getDpAccounting();
    if (updates > a.getEpsilonAfterUpdatesMicrosCount()) {
      DpParams p = job.getSpec().getDp();
      DpAccounting.Builder extended = a.toBuilder();
      try {
        RdpAccountant accountant = accountant(p);
        for (long k = a.getEpsilonAfterUpdatesMicrosCount() + 1L; k <= updates; k++) {
          extended.addEpsilonAfterUpdatesMicros(
              accountant.epsilonMicros(
                  Math.multiplyExact(k, p.getLocalSteps()), p.getDeltaPerTrillion()));
        }
      } catch (IllegalArgumentException | ArithmeticException e) {
        throw Fail.invalid(
            "the privacy accountant cannot price update " + updates + ": " + e.getMessage());
      }
      job = job.toBuilder().setDpAccounting(extended).build();
      a = job.getDpAccounting();
    }
    PrivacyBudget cost =
        PrivacyBudget.newBuilder()
            .setEpsilonMicros(a.getEpsilonAfterUpdatesMicros((int) updates - 1))
            .setDeltaPerTrillion(a.getDeltaPerTrillion())
            .build();
    return new Priced(job, cost);
  }

  private static RdpAccountant accountant(DpParams p) {
    return RdpAccountant.sampledGaussian(p.getNoiseMultiplierMicros(), p.getSampleRatePpm());
  }

  /**
   * A DP job takes only datasets with a budget, and a dataset with a budget trains only DP jobs:
   * its owner set the budget to bound what any training reveals, which a job without DP does not.
   */
  static void checkPairing(Job job, Dataset d) throws TxFailedException {
    boolean dpJob = job.hasDpAccounting();
    if (dpJob && !d.hasPrivacyBudget()) {
      throw Fail.invalid(
          "job "
              + JobAccess.hexId(job)
              + " trains with differential privacy and dataset '"
              + d.getDatasetId()
              + "' has no privacy budget; register a dataset with one (privacy_budget)");
    }
    if (!dpJob && d.hasPrivacyBudget()) {
      throw Fail.invalid(
          "dataset '"
              + d.getDatasetId()
              + "' has a privacy budget, so it trains only DP jobs; job "
              + JobAccess.hexId(job)
              + " has no DP parameters (CreateJob.dp)");
    }
  }

  /** For the mempool: the dataset's committed remainder covers the job's cost. */
  static void checkCovers(Job job, Dataset d, Optional<PrivacyAccount> account)
      throws TxFailedException {
    if (job.hasDpAccounting() && account.isPresent()) {
      PrivacyAccounts.requireCovers(d, account.get(), cost(job), "job " + JobAccess.hexId(job));
    }
  }
}
