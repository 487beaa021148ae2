package org.fedledger.consensus.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedledger.consensus.testing.Chains.transfer;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fedledger.consensus.app.CommittedTx;
import org.fedledger.consensus.mempool.SubmitResult;
import org.fedledger.consensus.testing.Chains;
import org.fedledger.consensus.testing.Cluster;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.tx.TransactionCodec;
import org.fedledger.core.tx.TxRejection;
import org.fedledger.ledger.Ledger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class SingleNodeTest {
  @TempDir Path dir;
  private Cluster cluster;
  private ConsensusNode node;

  @BeforeEach
  void start() throws Exception {
    cluster = new Cluster(dir, 1, 4);
    node = cluster.start(0);
    cluster.awaitLeader(Duration.ofSeconds(20));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void signedTransfersCommitAndMoveBalances() throws Exception {
    Ed25519KeyPair alice = cluster.accounts.get(0);
    Ed25519KeyPair bob = cluster.accounts.get(1);
    Address carol = cluster.accounts.get(2).publicKey().address();
    List<byte[]> txs = new ArrayList<>();
    for (int n = 0; n < 50; n++) {
      txs.add(transfer(alice, n, carol, 10));
      txs.add(transfer(bob, n, carol, 1));
    }
    List<SubmitResult> results = node.submit(txs);
    assertThat(results).allMatch(SubmitResult::accepted);

    for (SubmitResult r : results) {
      Optional<CommittedTx> c = node.awaitCommitted(r.txHash(), Duration.ofSeconds(20));
      assertThat(c).as("commit of " + r.txHash()).isPresent();
      assertThat(c.get().ok()).as(c.get().error()).isTrue();
    }
    Ledger ledger = node.ledger();
    assertThat(ledger.account(alice.publicKey().address()).balance())
        .isEqualTo(Chains.BALANCE - 500);
    assertThat(ledger.account(bob.publicKey().address()).balance()).isEqualTo(Chains.BALANCE - 50);
    assertThat(ledger.account(carol).balance()).isEqualTo(Chains.BALANCE + 550);
    assertThat(ledger.account(alice.publicKey().address()).nonce()).isEqualTo(50);
    assertThat(ledger.totalSupply()).isEqualTo(cluster.genesis.totalSupply());
    Chains.await(Duration.ofSeconds(5), "mempool drained", () -> node.mempool().size() == 0);
    assertThat(node.faultsReported()).isEmpty();
    Chains.await(
        Duration.ofSeconds(10),
        "this validator's vote on height 1 recorded",
        () -> node.ledger().stateRootVote(1, cluster.validatorKeys.get(0).publicKey()).isPresent());
    assertThat(node.ledger().stateRootVote(1, cluster.validatorKeys.get(0).publicKey()))
        .contains(Hash.of(ledger.headerByHeight(1).orElseThrow().getStateRoot()));
    assertThat(node.peers()).extracting(PeerAddress::id).containsExactly("v0");
    assertThat(node.leaderId()).contains("v0");
    // Blocks carry this validator's address as proposer.
    assertThat(ledger.headerByHeight(1).orElseThrow().getProposer())
        .isEqualTo(node.address().toByteString());
  }

  @Test
  void badInputsAreRejectedAtAdmissionAndNothingChanges() throws Exception {
    Ed25519KeyPair alice = cluster.accounts.get(0);
    Address carol = cluster.accounts.get(2).publicKey().address();
    // One committed transfer, so that a replayed nonce exists.
    SubmitResult first = node.submit(List.of(transfer(alice, 0, carol, 5))).get(0);
    long txHeight =
        node.awaitCommitted(first.txHash(), Duration.ofSeconds(20)).orElseThrow().height();
    // The block that records this validator's vote on it follows; after that the chain is idle.
    Chains.await(
        Duration.ofSeconds(10),
        "the vote block",
        () ->
            node.ledger()
                .stateRootVote(txHeight, cluster.validatorKeys.get(0).publicKey())
                .isPresent());
    Thread.sleep(200);
    long height = node.height();
    Hash root = node.ledger().stateRoot();

    SignedTransaction good = Chains.sign(Chains.transferBody(alice, 1, carol, 1), alice);
    List<byte[]> bad =
        List.of(
            new byte[] {9, 9, 9},
            good.toBuilder().setSignature(ByteString.copyFrom(new byte[64])).build().toByteArray(),
            Chains.sign(Chains.transferBody(alice, 1, carol, 1).setChainId("elsewhere"), alice)
                .toByteArray(),
            transfer(alice, 0, carol, 7),
            transfer(alice, 500, carol, 1),
            transfer(alice, 1, carol, Chains.BALANCE * 2),
            new byte[TransactionCodec.MAX_TX_BYTES + 10],
            Chains.sign(Chains.transferBody(alice, 1, carol, 1).setModule("casino"), alice)
                .toByteArray(),
            Chains.sign(Chains.transferBody(alice, 1, carol, 1).setMessageType("Mint"), alice)
                .toByteArray());
    List<SubmitResult> results = node.submit(bad);
    assertThat(results)
        .extracting(SubmitResult::rejection)
        .containsExactly(
            TxRejection.MALFORMED,
            TxRejection.BAD_SIGNATURE,
            TxRejection.WRONG_CHAIN,
            TxRejection.BAD_NONCE,
            TxRejection.BAD_NONCE,
            TxRejection.INSUFFICIENT_BALANCE,
            TxRejection.OVERSIZE,
            TxRejection.UNKNOWN_MODULE,
            TxRejection.UNKNOWN_MESSAGE);
    assertThat(results).allSatisfy(r -> assertThat(r.message()).isNotBlank());
    assertThat(node.submit(List.of(transfer(alice, 0, carol, 5))).get(0).rejection())
        .as("the committed transaction, resubmitted")
        .isIn(TxRejection.DUPLICATE, TxRejection.BAD_NONCE);

    Thread.sleep(300); // several block intervals: nothing may be proposed
    assertThat(node.mempool().size()).isZero();
    assertThat(node.ledger().stateRoot()).isEqualTo(root);
    assertThat(node.height()).isEqualTo(height);
    assertThat(node.ledger().account(alice.publicKey().address()).nonce()).isEqualTo(1);
  }

  @Test
  void restartRecoversTheChainAndKeepsGoing() throws Exception {
    Ed25519KeyPair alice = cluster.accounts.get(0);
    Address carol = cluster.accounts.get(2).publicKey().address();
    SubmitResult r = node.submit(List.of(transfer(alice, 0, carol, 5))).get(0);
    assertThat(node.awaitCommitted(r.txHash(), Duration.ofSeconds(20))).isPresent();
    Chains.await(Duration.ofSeconds(5), "vote block", () -> node.height() >= 2);
    long height = node.height();
    Hash last = node.ledger().lastBlockHash();
    cluster.stop(0);

    node = cluster.start(0);
    cluster.awaitLeader(Duration.ofSeconds(20));
    assertThat(node.height()).isGreaterThanOrEqualTo(height);
    assertThat(node.ledger().headerByHeight(height)).isPresent();
    assertThat(
            org.fedledger.core.hash.Sha256.hash(
                node.ledger().blockByHeight(height).orElseThrow().getHeader().toByteArray()))
        .isEqualTo(last);
    SubmitResult next = node.submit(List.of(transfer(alice, 1, carol, 5))).get(0);
    assertThat(next.accepted()).as(next.message()).isTrue();
    assertThat(node.awaitCommitted(next.txHash(), Duration.ofSeconds(20))).isPresent();
    assertThat(node.ledger().account(carol).balance()).isEqualTo(Chains.BALANCE + 10);
  }
}
