package org.fedledger.ledger.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedledger.ledger.training.TrainingNet.address;
import static org.fedledger.ledger.training.TrainingNet.dataset;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.fedledger.core.proto.Receipt;
import org.fedledger.core.proto.ReceiptStatus;
import org.fedledger.core.proto.registry.Dataset;
import org.fedledger.core.proto.registry.PrivacyAccount;
import org.fedledger.core.proto.registry.PrivacyBudget;
import org.fedledger.core.proto.registry.RegisterDataset;
import org.fedledger.core.tx.TransactionCodec;
import org.fedledger.ledger.training.TrainingNet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dataset's privacy budget at registration, on a real ledger: stored, queryable, checked. */
class PrivacyBudgetRegistrationTest {
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

  private static RegisterDataset budgeted(String id, long epsMicros, long deltaPerTrillion) {
    return dataset(id, 1_000, "research").toBuilder()
        .setPrivacyBudget(
            PrivacyBudget.newBuilder()
                .setEpsilonMicros(epsMicros)
                .setDeltaPerTrillion(deltaPerTrillion))
        .build();
  }

  private Optional<Dataset> byId(String id) {
    return net.query(q -> net.ledger().contracts().registry().dataset(q, id));
  }

  private Optional<PrivacyAccount> account(String id) {
    return net.query(q -> net.ledger().contracts().registry().privacyAccount(q, id));
  }

  @Test
  void aBudgetIsStoredWithTheDatasetAndItsAccountStartsEmpty() {
    Receipt r = net.ok(3, "registry", "RegisterDataset", budgeted("ward-a", 3_000_000, 10_000_000));

    Dataset d = byId("ward-a").orElseThrow();
    assertThat(d.getPrivacyBudget().getEpsilonMicros()).isEqualTo(3_000_000);
    assertThat(d.getPrivacyBudget().getDeltaPerTrillion()).isEqualTo(10_000_000);
    assertThat(r.getEvents(0).getAttributesList())
        .extracting(a -> a.getKey() + "=" + a.getValue())
        .contains("epsilon_micros=3000000", "delta_per_trillion=10000000");
    PrivacyAccount a = account("ward-a").orElseThrow();
    assertThat(a.getSpentEpsilonMicros()).isZero();
    assertThat(a.getReservedEpsilonMicros()).isZero();
    assertThat(a.getChargesList()).isEmpty();
    assertThat(PrivacyAccounts.remaining(d, a)).isEqualTo(d.getPrivacyBudget());
  }

  @Test
  void aDatasetWithoutABudgetHasNoAccountAndStoresWhatItAlwaysDid() {
    net.ok(3, "registry", "RegisterDataset", dataset("plain", 1_000, "research"));
    assertThat(byId("plain").orElseThrow().hasPrivacyBudget()).isFalse();
    assertThat(account("plain")).isEmpty();
    assertThat(account("unknown")).isEmpty();
  }

  @Test
  void theLargestBudgetsAllowedAreAccepted() {
    net.ok(
        3,
        "registry",
        "RegisterDataset",
        budgeted(
            "edge", PrivacyAccounts.MAX_EPSILON_MICROS, PrivacyAccounts.MAX_DELTA_PER_TRILLION));
    assertThat(byId("edge")).isPresent();
  }

  @Test
  void zeroNegativeAndAbsurdBudgetsAreRefusedWithTheReasonAndChangeNothingButTheNonce() {
    List<Object[]> bad =
        List.of(
            new Object[] {budgeted("b1", 0, 10_000_000), "epsilon_micros must be between 1 and"},
            new Object[] {budgeted("b2", -1, 10_000_000), "got 18446744073709551615"},
            new Object[] {
              budgeted("b3", PrivacyAccounts.MAX_EPSILON_MICROS + 1, 10_000_000),
              "(epsilon in (0, 100])"
            },
            new Object[] {budgeted("b4", 3_000_000, 0), "delta_per_trillion must be between 1 and"},
            new Object[] {budgeted("b5", 3_000_000, -5), "(delta in (0, 1e-2])"},
            new Object[] {
              budgeted("b6", 3_000_000, PrivacyAccounts.MAX_DELTA_PER_TRILLION + 1),
              "got 10000000001"
            },
            new Object[] {
              dataset("b7", 1_000, "research").toBuilder()
                  .setPrivacyBudget(PrivacyBudget.getDefaultInstance())
                  .build(),
              "epsilon_micros must be between 1 and"
            });
    for (Object[] c : bad) {
      RegisterDataset m = (RegisterDataset) c[0];
      long nonce = net.ledger().account(address(3)).nonce();
      Receipt r = net.send(3, "registry", "RegisterDataset", m);
      assertThat(r.getStatus()).isEqualTo(ReceiptStatus.FAILED);
      assertThat(r.getError()).startsWith("INVALID_MESSAGE: ").contains((String) c[1]);
      assertThat(r.getEventsList()).isEmpty();
      assertThat(byId(m.getDatasetId())).isEmpty();
      assertThat(net.ledger().account(address(3)).nonce()).isEqualTo(nonce + 1);
    }
    List<Dataset> owned =
        net.query(q -> net.ledger().contracts().registry().datasetsByOwner(q, address(3)));
    assertThat(owned).isEmpty();
  }

  @Test
  void theMempoolRefusesABadBudgetBeforeItReachesABlock() throws Exception {
    var tx = net.tx(3, "registry", "RegisterDataset", budgeted("m1", 0, 10_000_000));
    var admission = net.ledger().checkTransaction(TransactionCodec.decode(tx));
    assertThat(admission.isOk()).isFalse();
    assertThat(admission.message()).contains("epsilon_micros must be between 1 and");
  }
}
