package org.fedledger.node.api.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.registry.Dataset;
import org.fedledger.core.proto.registry.PrivacyAccount;
import org.fedledger.core.proto.registry.PrivacyBudget;
import org.fedledger.core.proto.registry.PrivacyCharge;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.ParticipantRecord;
import org.fedledger.ledger.module.QueryContext;
import org.fedledger.ledger.registry.PrivacyAccounts;
import org.fedledger.ledger.training.TrainingContracts;

/**
 * Privacy budgets for the REST records: a dataset's budget with what is spent, reserved and
 * remaining, and a DP job's cost with what each of its datasets has spent on it. Amounts in the
 * chain's integers (epsilon in millionths, delta in parts per trillion) and, beside them, as the
 * decimals people write.
 */
final class PrivacyJson {
  private PrivacyJson() {}

  /** The "privacy" object of a dataset's record, or null for a dataset without a budget. */
  static Map<String, Object> dataset(QueryContext q, TrainingContracts c, Dataset d) {
    Optional<PrivacyAccount> account = c.registry().privacyAccount(q, d.getDatasetId());
    if (account.isEmpty()) {
      return null;
    }
    PrivacyAccount a = account.get();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("budget", amounts(d.getPrivacyBudget()));
    out.put("spent", amounts(a.getSpentEpsilonMicros(), a.getSpentDeltaPerTrillion()));
    out.put("reserved", amounts(a.getReservedEpsilonMicros(), a.getReservedDeltaPerTrillion()));
    out.put("remaining", amounts(PrivacyAccounts.remaining(d, a)));
    List<Map<String, Object>> jobs = new ArrayList<>();
    for (PrivacyCharge charge : a.getChargesList()) {
      jobs.add(charge(charge));
    }
    out.put("jobs", jobs);
    return out;
  }

  /** The "privacy" object of a job's record, or null for a job without DP. */
  static Map<String, Object> job(
      QueryContext q, TrainingContracts c, Job job, List<ParticipantRecord> participants) {
    if (!job.hasDpAccounting()) {
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(
        "perDataset",
        amounts(
            job.getDpAccounting().getEpsilonMicros(), job.getDpAccounting().getDeltaPerTrillion()));
    out.put("totalSteps", job.getDpAccounting().getTotalSteps());
    out.put("params", ProtoJson.of(job.getSpec().getDp()));
    List<Map<String, Object>> datasets = new ArrayList<>();
    Hash id = Hash.of(job.getJobId());
    for (ParticipantRecord p : participants) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("datasetId", p.getDatasetId());
      row.put("participant", ProtoJson.hex(p.getParticipant()));
      Optional<Dataset> d = c.registry().dataset(q, p.getDatasetId());
      Optional<PrivacyAccount> a = c.registry().privacyAccount(q, p.getDatasetId());
      a.flatMap(x -> PrivacyAccounts.charge(x, id.toByteString()))
          .ifPresent(charge -> row.putAll(charge(charge)));
      if (d.isPresent() && a.isPresent()) {
        row.put("datasetRemaining", amounts(PrivacyAccounts.remaining(d.get(), a.get())));
      }
      datasets.add(row);
    }
    out.put("datasets", datasets);
    return out;
  }

  private static Map<String, Object> charge(PrivacyCharge charge) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("jobId", ProtoJson.hex(charge.getJobId()));
    out.put("updates", charge.getUpdates());
    out.put("spent", amounts(charge.getSpentEpsilonMicros(), charge.getSpentDeltaPerTrillion()));
    // What the job still holds: nothing once released.
    out.put(
        "held",
        charge.getReleased()
            ? amounts(0, 0)
            : amounts(
                charge.getReservedEpsilonMicros() - charge.getSpentEpsilonMicros(),
                charge.getReservedDeltaPerTrillion() - charge.getSpentDeltaPerTrillion()));
    out.put("released", charge.getReleased());
    return out;
  }

  private static Map<String, Object> amounts(PrivacyBudget b) {
    return amounts(b.getEpsilonMicros(), b.getDeltaPerTrillion());
  }

  private static Map<String, Object> amounts(long epsilonMicros, long deltaPerTrillion) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("epsilonMicros", epsilonMicros);
    out.put("deltaPerTrillion", deltaPerTrillion);
    out.put("epsilon", PrivacyAccounts.epsilon(epsilonMicros));
    out.put("delta", PrivacyAccounts.delta(deltaPerTrillion));
    return out;
  }
}
