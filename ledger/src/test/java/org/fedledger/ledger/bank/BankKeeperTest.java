package org.fedledger.ledger.bank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.fedledger.core.address.Address;
import org.fedledger.core.tx.TxRejection;
import org.fedledger.ledger.Genesis;
import org.fedledger.ledger.module.BlockInfo;
import org.fedledger.ledger.module.EventSink;
import org.fedledger.ledger.module.ExecutionContext;
import org.fedledger.ledger.module.QueryContext;
import org.fedledger.ledger.module.TxFailedException;
import org.fedledger.ledger.state.StateOverlay;
import org.junit.jupiter.api.Test;

/** The keeper other modules use: escrow into a module account and back, supply conserved. */
class BankKeeperTest {
  private static final Address ALICE = Address.fromHex("11".repeat(20));
  private static final Address BOB = Address.fromHex("22".repeat(20));

  private static ExecutionContext context(StateOverlay state, EventSink events) {
    return new ExecutionContext(
        new BlockInfo("c", 1, 0, null), null, null, null, state, events, h -> Optional.empty());
  }

  @Test
  void escrowToAModuleAccountAndPayOut() throws Exception {
    BankModule bank = new BankModule();
    StateOverlay state = new StateOverlay(key -> null);
    EventSink events = new EventSink();
    ExecutionContext ctx = context(state, events);
    bank.initGenesis(
        new Genesis("c", 0, ALICE, List.of(), List.of(new Genesis.Account(ALICE, 100))), ctx);
    BankKeeper keeper = bank;
    Address escrow = BankKeeper.moduleAccount("training", "job-1");
    assertThat(escrow).isEqualTo(BankKeeper.moduleAccount("training", "job-1"));
    assertThat(escrow).isNotEqualTo(BankKeeper.moduleAccount("training", "job-2"));

    keeper.transfer(ctx, ALICE, escrow, 60);
    keeper.transfer(ctx, escrow, BOB, 25);
    QueryContext q = new QueryContext(state);
    assertThat(keeper.balance(q, ALICE)).isEqualTo(40);
    assertThat(keeper.balance(q, escrow)).isEqualTo(35);
    assertThat(keeper.balance(ctx, BOB)).isEqualTo(25);
    assertThat(keeper.totalSupply(q)).isEqualTo(100);
    assertThat(events.events()).hasSize(2);

    assertThatThrownBy(() -> keeper.transfer(ctx, escrow, BOB, 36))
        .isInstanceOf(TxFailedException.class)
        .satisfies(
            e ->
                assertThat(((TxFailedException) e).reason())
                    .isEqualTo(TxRejection.INSUFFICIENT_BALANCE));
    assertThatThrownBy(() -> keeper.transfer(ctx, ALICE, BOB, -1))
        .isInstanceOf(TxFailedException.class);
  }

  @Test
  void emptiedAccountsLeaveNoState() throws Exception {
    BankModule bank = new BankModule();
    StateOverlay state = new StateOverlay(key -> null);
    ExecutionContext ctx = context(state, new EventSink());
    bank.initGenesis(
        new Genesis("c", 0, ALICE, List.of(), List.of(new Genesis.Account(ALICE, 5))), ctx);
    bank.transfer(ctx, ALICE, BOB, 5);
    assertThat(state.get(bank.balanceStateKey(ALICE))).isNull();
  }
}
