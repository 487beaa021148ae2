package org.fedledger.ledger.registry;

import com.google.protobuf.ByteString;
import java.math.BigDecimal;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.registry.Dataset;
import org.fedledger.core.proto.registry.PrivacyAccount;
import org.fedledger.core.proto.registry.PrivacyBudget;
import org.fedledger.core.proto.registry.PrivacyCharge;
import org.fedledger.core.tx.TxRejection;
import org.fedledger.ledger.module.TxFailedException;

/**
 * The arithmetic of a dataset's privacy budget, as pure functions of the dataset and its account
 * (the registry stores the results). Across jobs it composes basically: what each job spent adds
 * up, epsilon with epsilon and delta with delta, which is sound for any mechanisms. A job's whole
 * cost is reserved when the dataset joins it, so that a job never runs out of budget halfway; the
 * dataset's released updates then move their cumulative cost from reserved to spent, and the end of
 * the job hands back what it held beyond that. Everything is integers: epsilon in millionths, delta
 * in parts per trillion.
 */
public final class PrivacyAccounts {
  /** The largest epsilon a budget may hold: beyond 100, (epsilon, delta)-DP promises nothing. */
  public static final long MAX_EPSILON_MICROS = 100_000_000L;

  /**
   * The largest delta a budget or a job may state: 1e-2. Delta is the probability that the
   * guarantee fails outright, so it must stay far below the weight of one record; datasets of a few
   * hundred records and more should use 1e-5 or less.
   */
  public static final long MAX_DELTA_PER_TRILLION = 10_000_000_000L;

  private PrivacyAccounts() {}

  /** Refuses a budget that is zero, negative (a uint64 above 2^63-1) or beyond the bounds. */
  public static void checkBudget(PrivacyBudget b) throws TxFailedException {
    if (b.getEpsilonMicros() <= 0 || b.getEpsilonMicros() > MAX_EPSILON_MICROS) {
      throw invalid(
          "privacy_budget.epsilon_micros must be between 1 and "
              + MAX_EPSILON_MICROS
              + " (epsilon in (0, 100]), got "
              + Long.toUnsignedString(b.getEpsilonMicros())
              + "; e.g. 3000000 for epsilon 3");
    }
    if (b.getDeltaPerTrillion() <= 0 || b.getDeltaPerTrillion() > MAX_DELTA_PER_TRILLION) {
      throw invalid(
          "privacy_budget.delta_per_trillion must be between 1 and "
              + MAX_DELTA_PER_TRILLION
              + " (delta in (0, 1e-2]), got "
              + Long.toUnsignedString(b.getDeltaPerTrillion())
              + "; e.g. 10000000 for delta 1e-5");
    }
  }

  /** A fresh account for a budgeted dataset that has joined no DP job. */
  public static PrivacyAccount empty(String datasetId) {
    return PrivacyAccount.newBuilder().setDatasetId(datasetId).build();
  }

  /** What the dataset's budget still covers: budget - spent - reserved. */
  public static PrivacyBudget remaining(Dataset d, PrivacyAccount a) {
    PrivacyBudget b = d.getPrivacyBudget();
    return PrivacyBudget.newBuilder()
        .setEpsilonMicros(
            b.getEpsilonMicros() - a.getSpentEpsilonMicros() - a.getReservedEpsilonMicros())
        .setDeltaPerTrillion(
            b.getDeltaPerTrillion()
                - a.getSpentDeltaPerTrillion()
                - a.getReservedDeltaPerTrillion())
        .build();
  }

  /**
   * Refuses unless the remainder covers cost; the message names the dataset, what is left of its
   * budget and what is needed.
   */
  public static void requireCovers(Dataset d, PrivacyAccount a, PrivacyBudget cost, String what)
      throws TxFailedException {
    PrivacyBudget left = remaining(d, a);
    if (left.getEpsilonMicros() < cost.getEpsilonMicros()
        || left.getDeltaPerTrillion() < cost.getDeltaPerTrillion()) {
      throw invalid(
          "dataset '"
              + d.getDatasetId()
              + "' has "
              + describe(left)
              + " left of its privacy budget "
              + describe(d.getPrivacyBudget())
              + " (spent "
              + epsilon(a.getSpentEpsilonMicros())
              + ", reserved "
              + epsilon(a.getReservedEpsilonMicros())
              + "); "
              + what
              + " needs "
              + describe(cost)
              + "; use a dataset with budget left, or a job with more noise or fewer steps");
    }
  }

  /**
   * Reserves a job's whole cost on the dataset's budget.
   *
   * @throws TxFailedException INVALID_MESSAGE if the remainder cannot cover it or the job already
   *     holds a reservation
   */
  public static PrivacyAccount reserve(
      Dataset d, PrivacyAccount a, ByteString jobId, PrivacyBudget cost) throws TxFailedException {
    if (find(a, jobId) >= 0) {
      throw invalid(
          "dataset '"
              + d.getDatasetId()
              + "' already holds a reservation for job "
              + Hash.of(jobId).toHex());
    }
    requireCovers(d, a, cost, "job " + Hash.of(jobId).toHex());
    PrivacyCharge charge =
        PrivacyCharge.newBuilder()
            .setJobId(jobId)
            .setReservedEpsilonMicros(cost.getEpsilonMicros())
            .setReservedDeltaPerTrillion(cost.getDeltaPerTrillion())
            .build();
    return withTotals(a.toBuilder().addCharges(charge));
  }

  /**
   * Spends the dataset's update number {@code update} (1-based) of a job: the job's spending
   * becomes cumulative, the cost of all {@code update} updates together. Each number is spent once
   * and in order, so a replayed or duplicated spend is refused rather than counted twice. If the
   * dataset releases more updates than the job reserved for (a reopened round), the excess must fit
   * in the budget's remainder.
   */
  public static PrivacyAccount spend(
      Dataset d, PrivacyAccount a, ByteString jobId, long update, PrivacyBudget cumulative)
      throws TxFailedException {
    int i = find(a, jobId);
    String job = Hash.of(jobId).toHex();
    if (i < 0) {
      throw invalid(
          "dataset '" + d.getDatasetId() + "' holds no privacy reservation for job " + job);
    }
    PrivacyCharge c = a.getCharges(i);
    if (c.getReleased()) {
      throw invalid(
          "job " + job + " has ended; dataset '" + d.getDatasetId() + "' spends no more on it");
    }
    if (update != c.getUpdates() + 1) {
      throw invalid(
          "dataset '"
              + d.getDatasetId()
              + "' has spent "
              + c.getUpdates()
              + " updates of job "
              + job
              + "; update "
              + update
              + " is not the next one, and a spend is counted once");
    }
    long eps = Math.max(cumulative.getEpsilonMicros(), c.getSpentEpsilonMicros());
    long delta = Math.max(cumulative.getDeltaPerTrillion(), c.getSpentDeltaPerTrillion());
    long extraEps = Math.max(0, eps - c.getReservedEpsilonMicros());
    long extraDelta = Math.max(0, delta - c.getReservedDeltaPerTrillion());
    if (extraEps > 0 || extraDelta > 0) {
      requireCovers(
          d,
          a,
          PrivacyBudget.newBuilder()
              .setEpsilonMicros(extraEps)
              .setDeltaPerTrillion(extraDelta)
              .build(),
          "update " + update + " of job " + job + ", beyond the job's reservation,");
    }
    PrivacyCharge spent =
        c.toBuilder()
            .setUpdates(update)
            .setSpentEpsilonMicros(eps)
            .setSpentDeltaPerTrillion(delta)
            .setReservedEpsilonMicros(Math.max(c.getReservedEpsilonMicros(), eps))
            .setReservedDeltaPerTrillion(Math.max(c.getReservedDeltaPerTrillion(), delta))
            .build();
    return withTotals(a.toBuilder().setCharges(i, spent));
  }

  /**
   * Ends a job's reservation: what it spent stays spent, the rest goes back to the budget. A job
   * without a reservation, or one already released, changes nothing.
   */
  public static PrivacyAccount release(PrivacyAccount a, ByteString jobId) {
    int i = find(a, jobId);
    if (i < 0 || a.getCharges(i).getReleased()) {
      return a;
    }
    return withTotals(a.toBuilder().setCharges(i, a.getCharges(i).toBuilder().setReleased(true)));
  }

  /** The charge of a job, if the dataset joined it. */
  public static java.util.Optional<PrivacyCharge> charge(PrivacyAccount a, ByteString jobId) {
    int i = find(a, jobId);
    return i < 0 ? java.util.Optional.empty() : java.util.Optional.of(a.getCharges(i));
  }

  /** Recomputes the totals from the charges, so that they can never drift from them. */
  private static PrivacyAccount withTotals(PrivacyAccount.Builder b) {
    long spentEps = 0;
    long spentDelta = 0;
    long heldEps = 0;
    long heldDelta = 0;
    for (PrivacyCharge c : b.getChargesList()) {
      spentEps = Math.addExact(spentEps, c.getSpentEpsilonMicros());
      spentDelta = Math.addExact(spentDelta, c.getSpentDeltaPerTrillion());
      if (!c.getReleased()) {
        heldEps = Math.addExact(heldEps, c.getReservedEpsilonMicros() - c.getSpentEpsilonMicros());
        heldDelta =
            Math.addExact(
                heldDelta, c.getReservedDeltaPerTrillion() - c.getSpentDeltaPerTrillion());
      }
    }
    return b.setSpentEpsilonMicros(spentEps)
        .setSpentDeltaPerTrillion(spentDelta)
        .setReservedEpsilonMicros(heldEps)
        .setReservedDeltaPerTrillion(heldDelta)
        .build();
  }

  private static int find(PrivacyAccount a, ByteString jobId) {
    for (int i = 0; i < a.getChargesCount(); i++) {
      if (a.getCharges(i).getJobId().equals(jobId)) {
        return i;
      }
    }
    return -1;
  }

  /** "epsilon 3.5, delta 1E-5": a budget in the units people write. */
  public static String describe(PrivacyBudget b) {
    return "epsilon " + epsilon(b.getEpsilonMicros()) + ", delta " + delta(b.getDeltaPerTrillion());
  }

  /** Epsilon millionths as a decimal: 3500000 → "3.5". */
  public static String epsilon(long micros) {
    return BigDecimal.valueOf(micros, 6).stripTrailingZeros().toPlainString();
  }

  /** Delta parts per trillion as a decimal: 10000000 → "0.00001". */
  public static String delta(long perTrillion) {
    return BigDecimal.valueOf(perTrillion, 12).stripTrailingZeros().toPlainString();
  }

  private static TxFailedException invalid(String message) {
    return new TxFailedException(TxRejection.INVALID_MESSAGE, message);
  }
}
