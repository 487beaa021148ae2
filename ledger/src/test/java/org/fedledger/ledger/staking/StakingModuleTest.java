package org.fedledger.ledger.staking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedledger.ledger.training.TrainingNet.INITIAL;
import static org.fedledger.ledger.training.TrainingNet.address;

import com.google.protobuf.Message;
import java.nio.file.Path;
import java.util.List;
import org.fedledger.core.proto.Receipt;
import org.fedledger.core.proto.ReceiptStatus;
import org.fedledger.core.proto.staking.Bond;
import org.fedledger.core.proto.staking.Unbond;
import org.fedledger.core.proto.staking.UnbondingEntry;
import org.fedledger.core.proto.staking.WithdrawUnbonded;
import org.fedledger.ledger.training.JobDriver;
import org.fedledger.ledger.training.TrainingNet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bond, unbond after the delay, and the stake a job locks, on a real ledger. */
class StakingModuleTest {
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

  private Receipt send(int from, String type, Message m) {
    return net.send(from, "staking", type, m);
  }

  private static Bond bond(long amount) {
    return Bond.newBuilder().setAmount(amount).build();
  }

  private static Unbond unbond(long amount) {
    return Unbond.newBuilder().setAmount(amount).build();
  }

  private List<UnbondingEntry> unbonding(int i) {
    return net.query(q -> net.ledger().contracts().staking().unbonding(q, address(i)));
  }

  @Test
  void bondMovesTokensIntoTheBondedPoolAndUnbondReturnsThemAfterTheDelay() {
    Receipt bonded = net.ok(1, "staking", "Bond", bond(40_000));
    assertThat(bonded.getEventsList())
        .extracting(e -> e.getType())
        .containsExactly("Transfer", "Bonded");
    assertThat(net.balance(1)).isEqualTo(INITIAL - 40_000);
    assertThat(net.bonded(1)).isEqualTo(40_000);
    assertThat(net.balance(StakingKeeper.BONDED_POOL)).isEqualTo(40_000);

    net.ok(1, "staking", "Unbond", unbond(15_000));
    long release = net.ledger().height() + StakingParams.defaults().unbondingDelayBlocks();
    assertThat(net.bonded(1)).isEqualTo(25_000);
    assertThat(unbonding(1))
        .containsExactly(
            UnbondingEntry.newBuilder().setAmount(15_000).setReleaseHeight(release).build());

    Receipt early = send(1, "WithdrawUnbonded", WithdrawUnbonded.getDefaultInstance());
    assertThat(early.getError())
        .startsWith("INVALID_MESSAGE: nothing to withdraw")
        .contains("released at height " + release);
    assertThat(net.balance(1)).isEqualTo(INITIAL - 40_000);

    net.advanceTo(release - 1);
    net.ok(1, "staking", "WithdrawUnbonded", WithdrawUnbonded.getDefaultInstance());
    assertThat(net.balance(1)).isEqualTo(INITIAL - 25_000);
    assertThat(net.balance(StakingKeeper.BONDED_POOL)).isEqualTo(25_000);
    assertThat(unbonding(1)).isEmpty();
  }

  @Test
  void bondingMoreThanTheBalanceOrNothingIsRejected() {
    assertThat(send(1, "Bond", bond(INITIAL + 1)).getError()).startsWith("INSUFFICIENT_BALANCE");
    assertThat(send(1, "Bond", bond(0)).getError()).startsWith("INVALID_MESSAGE: Bond.amount");
    assertThat(send(1, "Bond", bond(-1)).getError()).contains("18446744073709551615");
    assertThat(net.bonded(1)).isZero();
    assertThat(net.balance(1)).isEqualTo(INITIAL);
  }

  @Test
  void unbondingMoreThanTheFreeStakeIsRejected() {
    net.ok(1, "staking", "Bond", bond(1_000));
    Receipt r = send(1, "Unbond", unbond(1_001));
    assertThat(r.getStatus()).isEqualTo(ReceiptStatus.FAILED);
    assertThat(r.getError()).startsWith("INSUFFICIENT_BALANCE").contains("1000 free bonded stake");
    assertThat(net.bonded(1)).isEqualTo(1_000);
  }

  @Test
  void stakeLockedByAJobCannotBeUnbondedUntilTheJobEnds() {
    JobDriver d = new JobDriver(net);
    d.createAndJoin(TrainingNet.job(1, 1, 1_000).build(), 1);
    assertThat(net.locked(1)).isEqualTo(JobDriver.STAKE);
    assertThat(send(1, "Unbond", unbond(1)).getError()).contains("locked by jobs");

    d.start();
    d.playRound(1);
    assertThat(net.locked(1)).isZero();
    net.ok(1, "staking", "Unbond", unbond(JobDriver.STAKE));
    assertThat(net.bonded(1)).isZero();
  }
}
