package org.fedledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fedledger.ledger.TestNet.address;
import static org.fedledger.ledger.TestNet.transfer;

import java.nio.file.Path;
import java.util.List;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.BlockHeader;
import org.fedledger.core.proto.ReceiptStatus;
import org.fedledger.ledger.state.StateProof;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reopen, checkpoints, genesis checks and state proofs against headers. */
class LedgerPersistenceTest {
  @TempDir Path dir;

  @Test
  void reopenContinuesWithTheSameRootMarkerAndChain(@TempDir Path reference) {
    Genesis genesis = TestNet.genesis();
    Hash root;
    Hash hash;
    try (Ledger ledger = Ledger.open(dir, genesis)) {
      ledger.applyBlock(TestNet.proposal(transfer(0, 1, 10, 0)), new byte[] {0, 0, 0, 1});
      ledger.applyBlock(TestNet.proposal(transfer(1, 2, 20, 0)), new byte[] {0, 0, 0, 2});
      root = ledger.stateRoot();
      hash = ledger.lastBlockHash();
    }
    BlockResult third;
    try (Ledger ledger = Ledger.open(dir, genesis)) {
      assertThat(ledger.height()).isEqualTo(2);
      assertThat(ledger.stateRoot()).isEqualTo(root);
      assertThat(ledger.lastBlockHash()).isEqualTo(hash);
      assertThat(ledger.consensusMarker()).containsExactly(0, 0, 0, 2);
      assertThat(ledger.account(address(0)).nonce()).isEqualTo(1);
      third = ledger.applyBlock(TestNet.proposal(transfer(0, 3, 5, 1)), new byte[] {3});
      assertThat(third.receipts().get(0).getStatus()).isEqualTo(ReceiptStatus.OK);
    }
    // A ledger that never closed reaches the same block 3.
    try (Ledger ledger = Ledger.open(reference, genesis)) {
      ledger.applyBlock(TestNet.proposal(transfer(0, 1, 10, 0)), new byte[0]);
      ledger.applyBlock(TestNet.proposal(transfer(1, 2, 20, 0)), new byte[0]);
      BlockResult same = ledger.applyBlock(TestNet.proposal(transfer(0, 3, 5, 1)), new byte[0]);
      assertThat(same.blockHash()).isEqualTo(third.blockHash());
    }
  }

  @Test
  void aDifferentGenesisIsRefused() {
    try (Ledger ledger = Ledger.open(dir, TestNet.genesis())) {
      ledger.applyBlock(TestNet.proposal(), new byte[0]);
    }
    Genesis other = TestNet.genesis(11, 3);
    assertThatThrownBy(() -> Ledger.open(dir, other))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("genesis")
        .hasMessageContaining(Ledger.genesisHash(other).toHex());
    // The refused open released the directory: the right genesis opens it again.
    try (Ledger ledger = Ledger.open(dir, TestNet.genesis())) {
      assertThat(ledger.height()).isEqualTo(1);
    }
  }

  @Test
  void aLedgerCannotBeUsedAfterClose() {
    Ledger ledger = Ledger.open(dir, TestNet.genesis());
    ledger.close();
    ledger.close(); // idempotent
    assertThatThrownBy(() -> ledger.account(address(0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> ledger.applyBlock(TestNet.proposal(), new byte[0]))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void checkpointOpensAsAnIdenticalLedger(@TempDir Path scratch) {
    Genesis genesis = TestNet.genesis();
    Path checkpoint = scratch.resolve("cp");
    Path restored = scratch.resolve("restored");
    Hash root;
    BlockResult next;
    try (Ledger ledger = Ledger.open(dir, genesis)) {
      ledger.applyBlock(TestNet.proposal(transfer(0, 1, 10, 0)), new byte[] {9});
      ledger.checkpoint(checkpoint);
      root = ledger.stateRoot();
      next = ledger.applyBlock(TestNet.proposal(transfer(0, 1, 10, 1)), new byte[] {10});
      assertThatThrownBy(() -> ledger.checkpoint(checkpoint))
          .hasMessageContaining("already exists");
    }
    try (Ledger copy = Ledger.open(checkpoint, genesis)) {
      assertThat(copy.height()).isEqualTo(1);
      assertThat(copy.stateRoot()).isEqualTo(root);
      assertThat(copy.consensusMarker()).containsExactly(9);
    }
    try (Ledger copy = Ledger.restoreCheckpoint(checkpoint, restored, genesis)) {
      assertThat(copy.stateRoot()).isEqualTo(root);
      BlockResult replayed =
          copy.applyBlock(TestNet.proposal(transfer(0, 1, 10, 1)), new byte[] {10});
      assertThat(replayed.blockHash()).isEqualTo(next.blockHash());
    }
  }

  @Test
  void accountStateProofVerifiesAgainstTheHeader() {
    try (Ledger ledger = Ledger.open(dir, TestNet.genesis())) {
      ledger.applyBlock(TestNet.proposal(transfer(0, 1, 10, 0)), new byte[0]);
      BlockHeader header = ledger.lastHeader();
      Hash root = Hash.of(header.getStateRoot());

      byte[] balanceKey = ledger.balanceStateKey(address(1));
      StateProof balance = ledger.stateProof(balanceKey);
      assertThat(StateProof.verify(balance, balanceKey, root)).isTrue();
      assertThat(new java.math.BigInteger(1, balance.value()).longValue())
          .isEqualTo(TestNet.INITIAL + 10);

      byte[] nonceKey = ledger.nonceStateKey(address(0));
      assertThat(StateProof.verify(ledger.stateProof(nonceKey), nonceKey, root)).isTrue();

      byte[] absentKey = ledger.balanceStateKey(address(555));
      StateProof absent = ledger.stateProof(absentKey);
      assertThat(absent.isInclusion()).isFalse();
      assertThat(StateProof.verify(absent, absentKey, root)).isTrue();

      // A proof is bound to its header's root: the previous block's root rejects it.
      Hash genesisRoot = Hash.of(ledger.headerByHeight(0).orElseThrow().getStateRoot());
      assertThat(StateProof.verify(balance, balanceKey, genesisRoot)).isFalse();
    }
  }

  @Test
  void unknownHeightsAndHashesAreEmpty() {
    try (Ledger ledger = Ledger.open(dir, TestNet.genesis())) {
      assertThat(ledger.blockByHeight(5)).isEmpty();
      assertThat(ledger.blockByHeight(-1)).isEmpty();
      assertThat(ledger.blockByHash(Hash.ZERO)).isEmpty();
      assertThat(ledger.transaction(Hash.ZERO)).isEmpty();
      assertThat(ledger.receipts(7)).isEqualTo(List.of());
      assertThat(ledger.blockByHeight(0)).isPresent();
    }
  }
}
