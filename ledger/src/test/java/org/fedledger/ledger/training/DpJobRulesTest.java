package org.fedledger.ledger.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedledger.ledger.training.DpFixture.DP;
import static org.fedledger.ledger.training.DpFixture.budgeted;
import static org.fedledger.ledger.training.DpFixture.dpJob;
import static org.fedledger.ledger.training.DpFixture.epsilonAfter;

import com.google.protobuf.Message;
import java.nio.file.Path;
import java.util.List;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.Attribute;
import org.fedledger.core.proto.Receipt;
import org.fedledger.core.proto.ReceiptStatus;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.training.CreateJob;
import org.fedledger.core.proto.training.DpAccounting;
import org.fedledger.core.proto.training.DpParams;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.JoinJob;
import org.fedledger.core.tx.TransactionCodec;
import org.fedledger.ledger.registry.PrivacyAccounts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DP job's parameters and who may join it: the contract prices the job with the accountant, and
 * every bad parameter or join is refused with its reason, changing nothing but the sender's nonce.
 */
class DpJobRulesTest {
  @TempDir Path dir;
  private TrainingNet net;

  @BeforeEach
  void open() {
    net = new TrainingNet(dir);
  }

  @AfterEach
  void close() {
    net.close();
  }

  /** Sends m from sender; asserts it failed with reason and text, and changed nothing else. */
  private Receipt rejected(int sender, String type, Message m, Hash job, String text) {
    Snapshot before = Snapshot.of(net, job);
    var accounts = DpFixture.accounts(net);
    long nonce = net.ledger().account(TrainingNet.address(sender)).nonce();
    Receipt r = net.send(sender, "training", type, m);
    assertThat(r.getStatus()).isEqualTo(ReceiptStatus.FAILED);
    assertThat(r.getError()).startsWith("INVALID_MESSAGE: ").contains(text);
    assertThat(r.getEventsList()).isEmpty();
    assertThat(Snapshot.of(net, job)).isEqualTo(before);
    assertThat(DpFixture.accounts(net)).isEqualTo(accounts);
    assertThat(net.ledger().account(TrainingNet.address(sender)).nonce()).isEqualTo(nonce + 1);
    return r;
  }

  @Test
  void aDpJobRecordsTheAccountantsEpsilonAfterAllItsRounds() {
    SignedTransaction create = net.tx(0, "training", "CreateJob", dpJob(3, 2).build());
    Receipt r = net.block(create).receipts().get(0);
    assertThat(r.getStatus()).isEqualTo(ReceiptStatus.OK);

    DpAccounting a = net.job(TrainingNet.jobId(create)).getDpAccounting();
    assertThat(a.getEpsilonMicros()).isEqualTo(epsilonAfter(3)).isPositive();
    // The schedule fills as datasets train (DpBudgetSpendingTest), not at creation.
    assertThat(a.getEpsilonAfterUpdatesMicrosList()).isEmpty();
    assertThat(a.getDeltaPerTrillion()).isEqualTo(DP.getDeltaPerTrillion());
    assertThat(a.getTotalSteps()).isEqualTo(150);
    // Renyi composition inside the job: three rounds cost less than three times one.
    assertThat(epsilonAfter(3)).isLessThan(3 * epsilonAfter(1));
    assertThat(
            r.getEventsList().stream()
                .filter(e -> e.getType().equals(TrainingEvents.JOB_CREATED))
                .findFirst()
                .orElseThrow()
                .getAttributesList())
        .extracting(Attribute::getKey)
        .contains(
            TrainingEvents.Attributes.DP_EPSILON_MICROS,
            TrainingEvents.Attributes.DP_DELTA_PER_TRILLION);
  }

  @Test
  void aJobWithoutDpStoresNoAccounting() {
    SignedTransaction create =
        net.tx(0, "training", "CreateJob", TrainingNet.job(1, 1, 1_000).build());
    DpJobRulesTest.ok(net.block(create).receipts().get(0));
    Job job = net.job(TrainingNet.jobId(create));
    assertThat(job.hasDpAccounting()).isFalse();
    assertThat(job.getSpec().hasDp()).isFalse();
  }

  private static void ok(Receipt r) {
    assertThat(r.getStatus()).as(r.getError()).isEqualTo(ReceiptStatus.OK);
  }

  private CreateJob withDp(DpParams.Builder dp) {
    return dpJob(2, 2).setDp(dp).build();
  }

  @Test
  void zeroNegativeAndAbsurdDpParametersAreRefusedWithTheReason() {
    List<Object[]> bad =
        List.of(
            new Object[] {withDp(DP.toBuilder().setClipNormMicros(0)), "dp.clip_norm_micros"},
            new Object[] {
              withDp(DP.toBuilder().setClipNormMicros(JobPrivacy.MAX_CLIP_NORM_MICROS + 1)),
              "dp.clip_norm_micros must be between 1 and 1000000000"
            },
            new Object[] {
              withDp(DP.toBuilder().setNoiseMultiplierMicros(0)), "dp.noise_multiplier_micros"
            },
            new Object[] {
              withDp(DP.toBuilder().setNoiseMultiplierMicros(-1)),
              "dp.noise_multiplier_micros must be between 1 and 1000000000, got"
                  + " 18446744073709551615"
            },
            new Object[] {withDp(DP.toBuilder().setSampleRatePpm(0)), "dp.sample_rate_ppm"},
            new Object[] {
              withDp(DP.toBuilder().setSampleRatePpm(1_000_001)),
              "dp.sample_rate_ppm must be between 1 and 1000000"
            },
            new Object[] {withDp(DP.toBuilder().setLocalSteps(0)), "dp.local_steps"},
            new Object[] {
              withDp(DP.toBuilder().setLocalSteps(JobPrivacy.MAX_LOCAL_STEPS + 1)),
              "dp.local_steps must be between 1 and 100000"
            },
            new Object[] {withDp(DP.toBuilder().setDeltaPerTrillion(0)), "dp.delta_per_trillion"},
            new Object[] {
              withDp(
                  DP.toBuilder().setDeltaPerTrillion(PrivacyAccounts.MAX_DELTA_PER_TRILLION + 1)),
              "dp.delta_per_trillion must be between 1 and 10000000000"
            },
            new Object[] {withDp(DpParams.newBuilder()), "dp.clip_norm_micros"},
            new Object[] {
              dpJob(1_000, 2).setDp(DP.toBuilder().setLocalSteps(100_000)).build(),
              "rounds x dp.local_steps is 100000000 DP-SGD steps"
            },
            new Object[] {dpJob(2, 2).setStandardize(true).build(), "a DP job cannot standardize"},
            new Object[] {
              // sigma 0.000001: the accountant refuses rather than return a meaningless epsilon.
              withDp(DP.toBuilder().setNoiseMultiplierMicros(1)),
              "the privacy accountant refuses these DP parameters"
            },
            new Object[] {
              // Little noise, every record in every batch, many steps: epsilon far beyond 100.
              withDp(
                  DP.toBuilder()
                      .setNoiseMultiplierMicros(600_000)
                      .setSampleRatePpm(1_000_000)
                      .setLocalSteps(5_000)),
              "beyond any budget (at most 100)"
            });
    for (Object[] c : bad) {
      rejected(0, "CreateJob", (CreateJob) c[0], null, (String) c[1]);
    }
  }

  @Test
  void theMempoolRefusesBadDpParametersBeforeTheyReachABlock() throws Exception {
    var tx = net.tx(0, "training", "CreateJob", withDp(DP.toBuilder().setSampleRatePpm(0)));
    var admission = net.ledger().checkTransaction(TransactionCodec.decode(tx));
    assertThat(admission.isOk()).isFalse();
    assertThat(admission.message()).contains("dp.sample_rate_ppm");
  }

  @Test
  void aDpJobRefusesADatasetWithoutABudget() {
    JobDriver d = new JobDriver(net);
    Hash id = d.createAndJoin(dpJob(2, 1).build(), p -> budgeted(p, 50_000_000, 10_000_000), 1);
    net.ok(
        2,
        "registry",
        "RegisterDataset",
        TrainingNet.dataset("ds-2", 600, "research", TrainingNet.USE));
    rejected(2, "JoinJob", d.join(2, JobDriver.STAKE), id, "has no privacy budget");
  }

  @Test
  void aBudgetedDatasetRefusesAJobWithoutDp() {
    JobDriver d = new JobDriver(net);
    Hash id = d.createAndJoin(TrainingNet.job(2, 1, 90_000).build(), 1);
    net.ok(2, "registry", "RegisterDataset", budgeted(2, 50_000_000, 10_000_000));
    rejected(2, "JoinJob", d.join(2, JobDriver.STAKE), id, "it trains only DP jobs");
  }

  @Test
  void aJobWhoseEpsilonExceedsTheDatasetsRemainingBudgetIsRefused() {
    JobDriver d = new JobDriver(net);
    Hash id = d.createAndJoin(dpJob(2, 1).build(), p -> budgeted(p, 50_000_000, 10_000_000), 1);
    net.ok(2, "registry", "RegisterDataset", budgeted(2, epsilonAfter(2) - 1, 10_000_000));
    Receipt r =
        rejected(2, "JoinJob", d.join(2, JobDriver.STAKE), id, "left of its privacy budget");
    assertThat(r.getError()).contains("needs epsilon " + PrivacyAccounts.epsilon(epsilonAfter(2)));
    net.ok(3, "registry", "RegisterDataset", budgeted(3, 50_000_000, 9_999_999));
    rejected(3, "JoinJob", d.join(3, JobDriver.STAKE), id, "delta 0.00001;");
  }

  @Test
  void theMempoolRefusesAJoinTheBudgetCannotCover() throws Exception {
    JobDriver d = new JobDriver(net);
    d.createAndJoin(dpJob(2, 1).build(), p -> budgeted(p, 50_000_000, 10_000_000), 1);
    net.ok(2, "registry", "RegisterDataset", budgeted(2, 1, 10_000_000));
    JoinJob join = d.join(2, JobDriver.STAKE);
    var admission =
        net.ledger()
            .checkTransaction(TransactionCodec.decode(net.tx(2, "training", "JoinJob", join)));
    assertThat(admission.isOk()).isFalse();
    assertThat(admission.message()).contains("left of its privacy budget");
  }
}
