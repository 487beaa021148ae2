package org.fedledger.consensus.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.fedledger.consensus.mempool.SubmitResult;
import org.fedledger.consensus.testing.Chains;
import org.fedledger.consensus.testing.Cluster;
import org.fedledger.consensus.testing.Load;
import org.fedledger.core.address.Address;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.TxBody;
import org.fedledger.core.proto.bank.Transfer;
import org.fedledger.core.tx.TxRejection;
import org.fedledger.testkit.ed25519.EdgeCase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three validators under a transfer load receive, each at a different node, transfers signed with
 * every edge case of "Taming the many EdDSAs" (the test kit's {@link EdgeCase}) from funded keys.
 * Every node's mempool refuses the same ones, naming the broken rule, and commits the others (the
 * mixed-order keys and points that a cofactorless verifier would refuse); every node ends with the
 * same block hashes and state roots at every height.
 */
@Timeout(120)
class EdgeCaseSignaturesUnderLoadTest {
  private static final long AMOUNT = 7;

  @TempDir Path dir;

  @Test
  void edgeCaseSignaturesSentToDifferentNodesGetOneVerdictAndTheChainsStayIdentical()
      throws Exception {
    List<Address> edgeCaseAccounts =
        new ArrayList<>(
            new LinkedHashSet<>(
                java.util.Arrays.stream(EdgeCase.values())
                    .map(c -> Address.fromPublicKey(c.publicKey()))
                    .toList()));
    try (Cluster cluster = Cluster.alsoFunding(dir, 3, 6, edgeCaseAccounts)) {
      cluster.startAll();
      cluster.awaitLeader(Duration.ofSeconds(30));
      Address sink = cluster.accounts.get(5).publicKey().address();
      List<ConsensusNode> nodes = cluster.running();
      int[] turn = {0};
      try (Load load =
          new Load(
              cluster.accounts.subList(0, 5),
              sink,
              () -> nodes.get(turn[0]++ % nodes.size()),
              60)) {
        load.start();

        Map<EdgeCase, SubmitResult> results = new EnumMap<>(EdgeCase.class);
        Map<Address, Long> nextNonce = new java.util.HashMap<>();
        int i = 0;
        for (EdgeCase c : EdgeCase.values()) {
          Address sender = Address.fromPublicKey(c.publicKey());
          long nonce = nextNonce.getOrDefault(sender, 0L);
          ConsensusNode to = nodes.get(i++ % nodes.size());
          SubmitResult r = to.submit(List.of(transfer(c, nonce, sink).toByteArray())).get(0);
          results.put(c, r);
          if (r.accepted()) {
            nextNonce.put(sender, nonce + 1);
          }
        }

        for (EdgeCase c : EdgeCase.values()) {
          SubmitResult r = results.get(c);
          if (c.accepted()) {
            assertThat(r.accepted()).as("%s: %s", c, r.message()).isTrue();
          } else {
            assertThat(r.rejection()).as(c.toString()).isEqualTo(TxRejection.BAD_SIGNATURE);
            assertThat(r.message()).as(c.toString()).containsPattern("\\(rule [2-5]\\)");
          }
        }
        for (ConsensusNode n : nodes) {
          for (EdgeCase c : EdgeCase.values()) {
            if (c.accepted()) {
              assertThat(n.awaitCommitted(results.get(c).txHash(), Duration.ofSeconds(60)))
                  .as("%s committed on %s", c, n.id())
                  .isPresent();
            }
          }
        }
        load.join();
        for (ConsensusNode n : nodes) {
          for (org.fedledger.core.hash.Hash h : load.accepted) {
            assertThat(n.awaitCommitted(h, Duration.ofSeconds(60))).isPresent();
          }
        }
      }
      long top = nodes.stream().mapToLong(ConsensusNode::height).max().orElseThrow();
      Chains.await(
          Duration.ofSeconds(30),
          "every node at height " + top,
          () -> nodes.stream().allMatch(n -> n.height() >= top));
      assertThat(cluster.assertSameChain()).isGreaterThanOrEqualTo(top);

      long accepted = java.util.Arrays.stream(EdgeCase.values()).filter(EdgeCase::accepted).count();
      // assertSameChain compared every header up to the common height, state roots included; a
      // node's tip may still move on by a block of votes, so tips are not compared here.
      for (ConsensusNode n : nodes) {
        assertThat(n.ledger().totalSupply()).isEqualTo(cluster.genesis.totalSupply());
        assertThat(n.ledger().account(sink).balance())
            .isEqualTo(Chains.BALANCE + 5 * 60 + accepted * AMOUNT);
        for (EdgeCase c : EdgeCase.values()) {
          if (!c.accepted() && !sharesItsKeyWithAnAcceptedCase(c)) {
            Address refused = Address.fromPublicKey(c.publicKey());
            assertThat(n.ledger().account(refused).balance())
                .as("%s's account on %s", c, n.id())
                .isEqualTo(Chains.BALANCE);
          }
        }
      }
    }
  }

  private static boolean sharesItsKeyWithAnAcceptedCase(EdgeCase c) {
    return java.util.Arrays.stream(EdgeCase.values())
        .anyMatch(o -> o.accepted() && java.util.Arrays.equals(o.publicKey(), c.publicKey()));
  }

  private static SignedTransaction transfer(EdgeCase c, long nonce, Address to) {
    byte[] body =
        TxBody.newBuilder()
            .setChainId(Chains.CHAIN_ID)
            .setSenderPublicKey(ByteString.copyFrom(c.publicKey()))
            .setNonce(nonce)
            .setModule("bank")
            .setMessageType("Transfer")
            .setPayload(
                Transfer.newBuilder()
                    .setTo(to.toByteString())
                    .setAmount(AMOUNT)
                    .build()
                    .toByteString())
            .build()
            .toByteArray();
    return SignedTransaction.newBuilder()
        .setBody(ByteString.copyFrom(body))
        .setSignature(ByteString.copyFrom(c.sign(body)))
        .build();
  }
}
