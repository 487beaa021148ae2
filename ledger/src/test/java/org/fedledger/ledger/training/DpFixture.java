package org.fedledger.ledger.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fedledger.core.privacy.RdpAccountant;
import org.fedledger.core.proto.registry.Dataset;
import org.fedledger.core.proto.registry.PrivacyAccount;
import org.fedledger.core.proto.registry.PrivacyBudget;
import org.fedledger.core.proto.registry.RegisterDataset;
import org.fedledger.core.proto.training.CreateJob;
import org.fedledger.core.proto.training.DpParams;
import org.fedledger.ledger.registry.PrivacyAccounts;

/** DP jobs and budgeted datasets for the training tests, priced by core's real accountant. */
final class DpFixture {
  /** C = 1, sigma = 1.1, q = 1 %, 50 steps a round, delta = 1e-5. */
  static final DpParams DP =
      DpParams.newBuilder()
          .setClipNormMicros(1_000_000)
          .setNoiseMultiplierMicros(1_100_000)
          .setSampleRatePpm(10_000)
          .setLocalSteps(50)
          .setDeltaPerTrillion(10_000_000)
          .build();

  private DpFixture() {}

  static CreateJob.Builder dpJob(long rounds, long perRound) {
    return TrainingNet.job(rounds, perRound, 90_000).setDp(DP);
  }

  /** What core's accountant says a dataset spends with updates updates of a DP job. */
  static long epsilonAfter(long updates) {
    return RdpAccountant.sampledGaussian(DP.getNoiseMultiplierMicros(), DP.getSampleRatePpm())
        .epsilonMicros(updates * DP.getLocalSteps(), DP.getDeltaPerTrillion());
  }

  static PrivacyBudget budget(long epsilonMicros, long deltaPerTrillion) {
    return PrivacyBudget.newBuilder()
        .setEpsilonMicros(epsilonMicros)
        .setDeltaPerTrillion(deltaPerTrillion)
        .build();
  }

  /** Participant p's dataset "ds-p" with a budget. */
  static RegisterDataset budgeted(int p, long epsilonMicros, long deltaPerTrillion) {
    return TrainingNet.dataset("ds-" + p, 600, "research", TrainingNet.USE).toBuilder()
        .setPrivacyBudget(budget(epsilonMicros, deltaPerTrillion))
        .build();
  }

  static Optional<PrivacyAccount> account(TrainingNet net, String datasetId) {
    return net.query(q -> net.ledger().contracts().registry().privacyAccount(q, datasetId));
  }

  static Dataset dataset(TrainingNet net, String datasetId) {
    return net.query(q -> net.ledger().contracts().registry().dataset(q, datasetId)).orElseThrow();
  }

  static PrivacyBudget remaining(TrainingNet net, String datasetId) {
    return PrivacyAccounts.remaining(
        dataset(net, datasetId), account(net, datasetId).orElseThrow());
  }

  /** The privacy accounts of ds-0 .. ds-9 (empty where none), to show a refusal changed none. */
  static List<Optional<PrivacyAccount>> accounts(TrainingNet net) {
    List<Optional<PrivacyAccount>> out = new ArrayList<>();
    for (int p = 0; p < TrainingNet.ACCOUNTS; p++) {
      out.add(account(net, "ds-" + p));
    }
    return out;
  }
}
