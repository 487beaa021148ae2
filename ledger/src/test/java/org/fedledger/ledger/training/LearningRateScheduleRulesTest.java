package org.fedledger.ledger.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.fedledger.core.proto.Receipt;
import org.fedledger.core.proto.ReceiptStatus;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.training.CreateJob;
import org.fedledger.core.tx.TransactionCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learning-rate schedule a job carries: the contract records each valid form with the job and
 * refuses a bad one with its reason, changing nothing but the sponsor's nonce.
 */
class LearningRateScheduleRulesTest {
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

  private static CreateJob withSchedule(String schedule) {
    return TrainingNet.job(3, 1, 1_000).setLearningRateSchedule(schedule).build();
  }

  @Test
  void everyValidFormIsRecordedWithTheJob() {
    for (String schedule :
        List.of(
            "",
            "constant",
            "exp:0.97",
            "exp:1",
            "exp:0.000001",
            "exp:1.000",
            "cosine",
            "cosine:0",
            "cosine:0.1",
            "cosine:1",
            "cosine:00.50",
            // 32 characters, the longest accepted.
            "cosine:0." + "1".repeat(23))) {
      SignedTransaction create = net.tx(0, "training", "CreateJob", withSchedule(schedule));
      Receipt r = net.block(create).receipts().get(0);
      assertThat(r.getStatus()).as(schedule + ": " + r.getError()).isEqualTo(ReceiptStatus.OK);
      assertThat(net.job(TrainingNet.jobId(create)).getSpec().getLearningRateSchedule())
          .isEqualTo(schedule);
    }
  }

  @Test
  void aBadScheduleIsRefusedWithTheReasonAndChangesNothingButTheNonce() {
    String[][] bad = {
      {"exp:", "the factor per round is missing after the ':'"},
      {"exp", "exp needs its factor per round"},
      {"cosine:", "the final fraction of the rate is missing after the ':'"},
      {":0.5", "unknown schedule ''"},
      {"exp:0", "the factor per round must be above 0, got 0"},
      {"exp:0.000", "must be above 0"},
      {"exp:1.01", "the factor per round must be at most 1, got 1.01"},
      {"cosine:1.5", "the final fraction of the rate must be at most 1, got 1.5"},
      {"cosine:2", "must be at most 1, got 2"},
      {"cosine:10.0", "must be at most 1, got 10.0"},
      {"linear", "unknown schedule 'linear'"},
      {"COSINE", "unknown schedule 'COSINE'"},
      {" cosine", "unknown schedule ' cosine'"},
      {"constant:1", "constant takes no argument"},
      {"exp:-0.5", "must be a plain decimal such as 0.5"},
      {"exp:1e-1", "must be a plain decimal"},
      {"exp:.5", "must be a plain decimal"},
      {"cosine:0.", "must be a plain decimal"},
      {"exp:0.5:1", "is one number, got '0.5:1'"},
      {"cosine:0." + "1".repeat(24), "it is longer than 32 characters"},
    };
    for (String[] c : bad) {
      Snapshot before = Snapshot.of(net, null);
      long nonce = net.ledger().account(TrainingNet.address(0)).nonce();
      Receipt r = net.send(0, "training", "CreateJob", withSchedule(c[0]));
      assertThat(r.getStatus()).as(c[0]).isEqualTo(ReceiptStatus.FAILED);
      assertThat(r.getError())
          .as(c[0])
          .startsWith("INVALID_MESSAGE: learning_rate_schedule '" + c[0] + "' is not valid: ")
          .contains(c[1])
          .contains("valid: constant, exp:G (0 < G <= 1) or cosine[:F] (0 <= F <= 1)");
      assertThat(r.getEventsList()).isEmpty();
      assertThat(Snapshot.of(net, null)).isEqualTo(before);
      assertThat(net.ledger().account(TrainingNet.address(0)).nonce()).isEqualTo(nonce + 1);
    }
  }

  @Test
  void theMempoolRefusesABadScheduleBeforeItReachesABlock() throws Exception {
    var tx = net.tx(0, "training", "CreateJob", withSchedule("cosine:1.5"));
    var admission = net.ledger().checkTransaction(TransactionCodec.decode(tx));
    assertThat(admission.isOk()).isFalse();
    assertThat(admission.message()).contains("learning_rate_schedule 'cosine:1.5'");
  }
}
