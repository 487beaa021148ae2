package org.fedledger.node.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.fedledger.consensus.mempool.SubmitResult;
import org.fedledger.consensus.node.ConsensusConfig;
import org.fedledger.consensus.node.ConsensusNode;
import org.fedledger.consensus.node.MembershipPlan;
import org.fedledger.consensus.node.PeerAddress;
import org.fedledger.consensus.node.RaftTls;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.proto.TxBody;
import org.fedledger.core.proto.bank.Transfer;
import org.fedledger.core.proto.validators.AddValidator;
import org.fedledger.core.proto.validators.ValidatorRecord;
import org.fedledger.core.tx.TransactionCodec;
import org.fedledger.ledger.Genesis;
import org.fedledger.node.FedledgerNode;
import org.fedledger.node.config.GenesisDocument;
import org.fedledger.node.config.NetworkInitializer;
import org.fedledger.node.config.NodeConfig;
import org.fedledger.node.keys.KeyFile;
import org.fedledger.node.testing.TestNetworks;
import org.fedledger.testkit.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The membership flow that exists ({@code validator add}: the admin's AddValidator transaction,
 * then the leader adds the new peer to the Raft group) on three validators made as {@code fedledger
 * init} makes them. A node at the added address and id that shows a member's certificate, or none,
 * is refused at the Raft handshake: it never joins the group nor receives a block, and the chain
 * keeps committing. The same node with its validator certificate then joins.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ValidatorJoinNeedsItsCertificateTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** Long enough for the leader to dial the new peer several times and give up each time. */
  private static final Duration HOLD_OUT = Duration.ofSeconds(4);

  @TempDir Path dir;

  @Test
  void aNodeShowingAMembersCertificateOrNoneCannotJoinButWithItsValidatorCertificateItDoes()
      throws Exception {
    List<Integer> ports = FreePorts.distinct(10);
    NetworkInitializer.Network net =
        NetworkInitializer.initialize(
            new NetworkInitializer.Request(
                dir.resolve("net"),
                "joins",
                3,
                1,
                1_000_000,
                i ->
                    new NetworkInitializer.Ports(
                        ports.get(3 * i), ports.get(3 * i + 1), ports.get(3 * i + 2)),
                new NodeConfig.BlockParams(1000, 4 * 1024 * 1024, 20),
                1_700_000_000_000L));
    for (Path c : net.configFiles()) {
      NodeConfig.load(c).withTuning(new NodeConfig.Tuning(300L, null, null)).save(c);
    }
    NetworkCertificates.Written tls = TestNetworks.secure(net, ApiAccess.MEMBERS);
    List<FedledgerNode> nodes = new ArrayList<>();
    try {
      for (Path c : net.configFiles()) {
        nodes.add(FedledgerNode.start(c));
      }
      Ed25519KeyPair admin = KeyFile.load(net.adminKeyFile());
      Ed25519KeyPair account = KeyFile.load(net.accountKeyFiles().get(0));
      long[] accountNonce = {0};
      Genesis genesis = GenesisDocument.load(net.genesisFile()).toGenesis();
      List<String> genesisIds =
          nodes.get(0).consensus().peers().stream().map(PeerAddress::id).toList();

      Ed25519KeyPair newValidator = Ed25519KeyPair.generate();
      PeerAddress joining =
          new PeerAddress(
              MembershipPlan.peerIdOf(newValidator.publicKey()), "127.0.0.1", ports.get(9));
      List<PeerAddress> grown = new ArrayList<>(nodes.get(0).consensus().peers());
      grown.add(joining);
      commit(nodes, admin, 0, "validators", "AddValidator", addValidator(newValidator, joining));

      // A member's certificate, issued to the new validator's own account.
      TlsIdentity member = issue(tls, "node-3-member", Role.MEMBER, newValidator, List.of());
      try (ConsensusNode joiner =
          ConsensusNode.start(
              config(newValidator, dir.resolve("as-member"), joining, grown, genesis)
                  .withTls(
                      new RaftTls(
                          member.keyManager(), member.trustManager("Raft", NodeTls.SERVERS))))) {
        holdsOutAndTheChainCommits(nodes, joiner, genesisIds, account, accountNonce);
      }

      // No certificate at all: plaintext Raft.
      try (ConsensusNode joiner =
          ConsensusNode.start(
              config(newValidator, dir.resolve("plain"), joining, grown, genesis))) {
        holdsOutAndTheChainCommits(nodes, joiner, genesisIds, account, accountNonce);
      }

      // Its validator certificate: the same flow now completes.
      TlsIdentity validator =
          issue(tls, joining.id(), Role.VALIDATOR, newValidator, List.of("127.0.0.1", "localhost"));
      try (ConsensusNode joiner =
          ConsensusNode.start(
              config(newValidator, dir.resolve("as-validator"), joining, grown, genesis)
                  .withTls(new NodeTls(validator, ApiAccess.MEMBERS).raft()))) {
        List<String> four = new ArrayList<>(genesisIds);
        four.add(joining.id());
        await(
            "the new validator in every Raft configuration",
            () ->
                nodes.stream()
                    .allMatch(
                        n ->
                            n.consensus().peers().stream()
                                .map(PeerAddress::id)
                                .sorted()
                                .toList()
                                .equals(four.stream().sorted().toList())));
        long height = nodes.get(0).consensus().height();
        await("the new validator catches up", () -> joiner.height() >= height);
      }
    } finally {
      for (int i = nodes.size() - 1; i >= 0; i--) {
        nodes.get(i).close();
      }
    }
  }

  /**
   * Over HOLD_OUT, while the leader tries to add the joiner: the group stays the genesis
   * validators, the joiner receives no block, and a transfer commits on all three.
   */
  private static void holdsOutAndTheChainCommits(
      List<FedledgerNode> nodes,
      ConsensusNode joiner,
      List<String> genesisIds,
      Ed25519KeyPair account,
      long[] nonce)
      throws Exception {
    long until = System.nanoTime() + HOLD_OUT.toNanos();
    while (System.nanoTime() < until) {
      for (FedledgerNode n : nodes) {
        assertThat(n.consensus().peers())
            .extracting(PeerAddress::id)
            .containsExactlyInAnyOrderElementsOf(genesisIds);
      }
      assertThat(joiner.height()).as("blocks the refused node received").isZero();
      Thread.sleep(200);
    }
    byte[] payload =
        Transfer.newBuilder()
            .setTo(account.publicKey().address().toByteString())
            .setAmount(1)
            .build()
            .toByteArray();
    commit(nodes, account, nonce[0]++, "bank", "Transfer", payload);
    assertThat(joiner.height()).isZero();
  }

  private static TlsIdentity issue(
      NetworkCertificates.Written tls,
      String name,
      Role role,
      Ed25519KeyPair account,
      List<String> hosts)
      throws Exception {
    Path cert = tls.ca().dir().resolve(name + ".pem");
    Path key = tls.ca().dir().resolve(name + "-key.pem");
    CertificateRequest.Builder b =
        CertificateRequest.builder()
            .setName(name)
            .setRole(role)
            .setNotBefore(Instant.now())
            .optAccount(account.publicKey().address());
    hosts.forEach(b::optHost);
    tls.ca().issue(b.build(), cert, key);
    return TlsIdentity.load(cert, key, tls.ca().caFile(), tls.ca().crlFile());
  }

  private static ConsensusConfig config(
      Ed25519KeyPair key,
      Path dataDir,
      PeerAddress self,
      List<PeerAddress> group,
      Genesis genesis) {
    return ConsensusConfig.of(key, dataDir, self.id(), group, genesis)
        .withElectionTimeout(Duration.ofMillis(300));
  }

  private static byte[] addValidator(Ed25519KeyPair key, PeerAddress at) {
    return AddValidator.newBuilder()
        .setValidator(
            ValidatorRecord.newBuilder()
                .setPublicKey(key.publicKey().toByteString())
                .setPower(1)
                .setRaftAddress(at.address()))
        .build()
        .toByteArray();
  }

  /** Submits a signed message to whichever node leads and waits until all three committed it. */
  private static void commit(
      List<FedledgerNode> nodes,
      Ed25519KeyPair from,
      long nonce,
      String module,
      String type,
      byte[] payload)
      throws Exception {
    TxBody body =
        TxBody.newBuilder()
            .setChainId("joins")
            .setSenderPublicKey(from.publicKey().toByteString())
            .setNonce(nonce)
            .setModule(module)
            .setMessageType(type)
            .setPayload(ByteString.copyFrom(payload))
            .build();
    byte[] tx = TransactionCodec.sign(body, from).toByteArray();
    SubmitResult r = nodes.get(0).consensus().submit(List.of(tx)).get(0);
    assertThat(r.accepted()).as(r.message()).isTrue();
    for (FedledgerNode n : nodes) {
      var committed = n.consensus().awaitCommitted(r.txHash(), WAIT);
      assertThat(committed).as("%s on %s", type, n.consensus().id()).isPresent();
      assertThat(committed.get().ok()).as(committed.get().error()).isTrue();
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + WAIT + " waiting for: " + what);
      }
      Thread.sleep(50);
    }
  }
}
