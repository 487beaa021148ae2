package org.fedledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedledger.ledger.TestNet.key;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.fedledger.core.block.StateRootVotes;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.Event;
import org.fedledger.core.proto.Receipt;
import org.fedledger.core.proto.ReceiptStatus;
import org.fedledger.core.proto.StateRootVote;
import org.fedledger.core.proto.validators.AddValidator;
import org.fedledger.core.proto.validators.RemoveValidator;
import org.fedledger.core.proto.validators.ValidatorRecord;
import org.fedledger.core.tx.InvalidTransactionException;
import org.fedledger.core.tx.TransactionCodec;
import org.fedledger.core.tx.TxRejection;
import org.fedledger.ledger.validators.ValidatorsModule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** State-root votes, faults, and admin-only changes of the validator set. */
class ValidatorsAndVotesTest {
  private static final int ADMIN = 900;

  @TempDir Path dir;
  private Ledger ledger;
  private Hash rootAfter1;

  @BeforeEach
  void open() {
    ledger = Ledger.open(dir, TestNet.genesis());
    rootAfter1 = ledger.applyBlock(TestNet.proposal(), new byte[0]).stateRoot();
  }

  @AfterEach
  void close() {
    ledger.close();
  }

  private BlockResult applyVotes(StateRootVote... votes) {
    return ledger.applyBlock(
        TestNet.proposal(TestNet.GENESIS_TIME + 2000, List.of(), List.of(votes)), new byte[0]);
  }

  private static List<String> types(List<Event> events) {
    return events.stream().map(Event::getType).toList();
  }

  @Test
  void voteWithTheSameRootIsRecordedWithoutFault() {
    Ed25519KeyPair v = key(1000);
    BlockResult r = applyVotes(StateRootVotes.sign(v, TestNet.CHAIN, 1, rootAfter1));
    assertThat(types(r.blockEvents())).containsExactly("StateRootVote");
    assertThat(ledger.faults()).isEmpty();
    assertThat(ledger.stateRootVote(1, v.publicKey())).contains(rootAfter1);
  }

  @Test
  void voteWithAnotherRootIsRecordedAsAFault() {
    Ed25519KeyPair v = key(1001);
    Hash wrong = Hash.fromHex("ab".repeat(32));
    BlockResult r = applyVotes(StateRootVotes.sign(v, TestNet.CHAIN, 1, wrong));
    assertThat(types(r.blockEvents())).containsExactly("StateRootVote", "Fault");
    assertThat(ledger.faults()).containsExactly(new Fault(1, v.publicKey(), rootAfter1, wrong, 2));
    // Faults are state: they survive reopen, and they are part of the root.
    ledger.close();
    ledger = Ledger.open(dir, TestNet.genesis());
    assertThat(ledger.faults()).hasSize(1);
  }

  @Test
  void faultsAndRejectedVotesAreRecognizedByTheirTypedEventOnly() {
    Hash wrong = Hash.fromHex("cd".repeat(32));
    BlockResult r =
        applyVotes(
            StateRootVotes.sign(key(1001), TestNet.CHAIN, 1, wrong),
            StateRootVotes.sign(key(5), TestNet.CHAIN, 1, rootAfter1));
    assertThat(r.blockEvents())
        .filteredOn(ValidatorsModule::isFault)
        .singleElement()
        .satisfies(e -> assertThat(e.getType()).isEqualTo(ValidatorsModule.EVENT_FAULT));
    assertThat(r.blockEvents()).filteredOn(ValidatorsModule::isVoteRejected).hasSize(1);
    // Another module's event of the same name, or a name that merely contains "fault", is none.
    assertThat(
            ValidatorsModule.isFault(
                Event.newBuilder().setModule("staking").setType("Fault").build()))
        .isFalse();
    assertThat(
            ValidatorsModule.isFault(
                Event.newBuilder()
                    .setModule(ValidatorsModule.NAME)
                    .setType("NoFaultFound")
                    .build()))
        .isFalse();
  }

  @Test
  void aVoteSignedOverAnyOtherLayoutIsRefused() {
    Ed25519KeyPair v = key(1000);
    // The chain id without its length prefix: an older layout, no longer valid.
    byte[] chain = TestNet.CHAIN.getBytes(StandardCharsets.UTF_8);
    byte[] message =
        ByteBuffer.allocate(23 + chain.length + 8 + 32)
            .put("fedledger/state-root/v1".getBytes(StandardCharsets.US_ASCII))
            .put(chain)
            .putLong(1)
            .put(rootAfter1.toByteArray())
            .array();
    StateRootVote vote =
        StateRootVote.newBuilder()
            .setHeight(1)
            .setStateRoot(rootAfter1.toByteString())
            .setValidatorPublicKey(v.publicKey().toByteString())
            .setSignature(ByteString.copyFrom(v.sign(message)))
            .build();
    applyVotes(vote);
    assertThat(ledger.stateRootVote(1, v.publicKey())).isEmpty();
  }

  @Test
  void aRepeatedVoteIsRecordedOnceAndAChangedOneAgain() {
    Ed25519KeyPair v = key(1002);
    Hash wrong = Hash.fromHex("ef".repeat(32));
    StateRootVote bad = StateRootVotes.sign(v, TestNet.CHAIN, 1, wrong);
    applyVotes(bad, bad);
    BlockResult again = applyVotes(bad);
    assertThat(again.blockEvents()).isEmpty();
    assertThat(ledger.faults()).hasSize(1);
    applyVotes(StateRootVotes.sign(v, TestNet.CHAIN, 1, rootAfter1));
    assertThat(ledger.stateRootVote(1, v.publicKey())).contains(rootAfter1);
    applyVotes(StateRootVotes.sign(v, TestNet.CHAIN, 1, Hash.fromHex("01".repeat(32))));
    assertThat(ledger.faults()).hasSize(2);
  }

  @Test
  void votesForGenesisAreChecked() {
    Hash genesisRoot = Hash.of(ledger.headerByHeight(0).orElseThrow().getStateRoot());
    applyVotes(
        StateRootVotes.sign(key(1000), TestNet.CHAIN, 0, genesisRoot),
        StateRootVotes.sign(key(1001), TestNet.CHAIN, 0, Hash.fromHex("cd".repeat(32))));
    assertThat(ledger.faults()).extracting(Fault::validator).containsExactly(key(1001).publicKey());
  }

  @Test
  void aVoteLeavesStateWhenItsHeightLeavesTheWindow() {
    Ed25519KeyPair v = key(1000);
    applyVotes(StateRootVotes.sign(v, TestNet.CHAIN, 1, rootAfter1)); // height 2
    long lastKept = 1 + ValidatorsModule.VOTE_RETENTION_HEIGHTS - 1;
    while (ledger.height() < lastKept - 1) {
      applyVotes();
    }
    Hash withVote = ledger.stateRoot();
    applyVotes();
    assertThat(ledger.stateRoot()).as("an empty block changes nothing").isEqualTo(withVote);
    assertThat(ledger.stateRootVote(1, v.publicKey())).contains(rootAfter1);

    applyVotes(); // height 1 leaves the window
    assertThat(ledger.stateRootVote(1, v.publicKey())).isEmpty();
    assertThat(ledger.stateRoot()).as("the vote left the state").isNotEqualTo(withVote);
  }

  @Test
  void aVoteOlderThanTheWindowIsCheckedButNotKept() {
    while (ledger.height() < 1 + ValidatorsModule.VOTE_RETENTION_HEIGHTS) {
      applyVotes();
    }
    Ed25519KeyPair v = key(1001);
    Hash before = ledger.stateRoot();
    BlockResult right = applyVotes(StateRootVotes.sign(v, TestNet.CHAIN, 1, rootAfter1));
    assertThat(types(right.blockEvents())).containsExactly("StateRootVote");
    assertThat(ledger.stateRootVote(1, v.publicKey())).isEmpty();
    assertThat(ledger.stateRoot()).as("a right old vote changes no state").isEqualTo(before);

    Hash wrong = Hash.fromHex("ab".repeat(32));
    StateRootVote late = StateRootVotes.sign(v, TestNet.CHAIN, 1, wrong);
    BlockResult first = applyVotes(late);
    assertThat(types(first.blockEvents())).containsExactly("StateRootVote", "Fault");
    assertThat(ledger.faults())
        .containsExactly(new Fault(1, v.publicKey(), rootAfter1, wrong, ledger.height()));

    BlockResult again = applyVotes(late); // a new leader proposes it again
    assertThat(types(again.blockEvents())).containsExactly("StateRootVote");
    assertThat(ledger.faults()).as("the same fault is recorded once").hasSize(1);
    assertThat(ledger.stateRootVote(1, v.publicKey())).isEmpty();
  }

  @Test
  void removingAValidatorForgetsItsKeptVotes() {
    Ed25519KeyPair leaving = key(1000);
    applyVotes(StateRootVotes.sign(leaving, TestNet.CHAIN, 1, rootAfter1));
    applyVotes(StateRootVotes.sign(key(1001), TestNet.CHAIN, 1, rootAfter1));
    assertThat(ledger.stateRootVote(1, leaving.publicKey())).contains(rootAfter1);

    assertThat(apply(ADMIN, 0, "RemoveValidator", removeValidator(leaving)).getStatus())
        .isEqualTo(ReceiptStatus.OK);

    assertThat(ledger.stateRootVote(1, leaving.publicKey())).isEmpty();
    assertThat(ledger.stateRootVote(1, key(1001).publicKey())).contains(rootAfter1);
  }

  @Test
  void invalidVotesAreRejectedWithAReasonAndRecordNothing() {
    StateRootVote good = StateRootVotes.sign(key(1000), TestNet.CHAIN, 1, rootAfter1);
    byte[] sig = good.getSignature().toByteArray();
    sig[5] ^= 1;
    BlockResult r =
        applyVotes(
            good.toBuilder().setSignature(ByteString.copyFrom(sig)).build(),
            StateRootVotes.sign(key(5), TestNet.CHAIN, 1, rootAfter1), // not a validator
            StateRootVotes.sign(key(1000), TestNet.CHAIN, 2, rootAfter1), // height not committed
            StateRootVotes.sign(key(1000), "other-chain", 1, rootAfter1),
            good.toBuilder().setStateRoot(ByteString.copyFrom(new byte[3])).build());
    assertThat(types(r.blockEvents())).containsOnly("VoteRejected").hasSize(5);
    assertThat(r.blockEvents())
        .map(e -> e.getAttributesList().get(2).getValue())
        .containsExactly(
            "bad signature",
            "not a validator",
            "height 2 is not committed",
            "bad signature",
            "malformed: public key must be 32 bytes and state root 32 bytes");
    assertThat(ledger.faults()).isEmpty();
    assertThat(ledger.stateRootVote(1, key(1000).publicKey())).isEmpty();
  }

  private static byte[] addValidator(Ed25519KeyPair v, long power) {
    return addValidator(v, power, "127.0.0.1:9100");
  }

  private static byte[] addValidator(Ed25519KeyPair v, long power, String raftAddress) {
    return AddValidator.newBuilder()
        .setValidator(
            ValidatorRecord.newBuilder()
                .setPublicKey(v.publicKey().toByteString())
                .setPower(power)
                .setRaftAddress(raftAddress)
                .setApiAddress("127.0.0.1:8100"))
        .build()
        .toByteArray();
  }

  private static byte[] removeValidator(Ed25519KeyPair v) {
    return RemoveValidator.newBuilder()
        .setPublicKey(v.publicKey().toByteString())
        .build()
        .toByteArray();
  }

  /** The mempool's verdict: a refusal here means the transaction never reaches a block. */
  private AdmissionResult admit(int sender, long nonce, String type, byte[] payload) {
    try {
      return ledger.checkTransaction(
          TransactionCodec.decode(TestNet.message(sender, nonce, "validators", type, payload)));
    } catch (InvalidTransactionException e) {
      throw new AssertionError(e);
    }
  }

  private Receipt apply(int sender, long nonce, String type, byte[] payload) {
    BlockResult r =
        ledger.applyBlock(
            TestNet.proposal(TestNet.message(sender, nonce, "validators", type, payload)),
            new byte[0]);
    return r.receipts().get(0);
  }

  @Test
  void adminAddsAndRemovesValidatorsAndConsensusIsTold() {
    Ed25519KeyPair newcomer = key(1100);
    BlockResult added =
        ledger.applyBlock(
            TestNet.proposal(
                TestNet.message(ADMIN, 0, "validators", "AddValidator", addValidator(newcomer, 2))),
            new byte[0]);
    assertThat(added.receipts().get(0).getStatus()).isEqualTo(ReceiptStatus.OK);
    assertThat(added.validatorSetChanged()).isTrue();
    assertThat(types(added.receipts().get(0).getEventsList())).containsExactly("ValidatorAdded");
    assertThat(ledger.validators())
        .contains(new ValidatorInfo(newcomer.publicKey(), 2, "127.0.0.1:9100", "127.0.0.1:8100"))
        .hasSize(4);

    // The newcomer's votes now count.
    Hash root = ledger.stateRoot();
    applyVotes(StateRootVotes.sign(newcomer, TestNet.CHAIN, ledger.height(), root));
    assertThat(ledger.stateRootVote(2, newcomer.publicKey())).contains(root);

    byte[] remove =
        RemoveValidator.newBuilder()
            .setPublicKey(key(1000).publicKey().toByteString())
            .build()
            .toByteArray();
    Receipt removed = apply(ADMIN, 1, "RemoveValidator", remove);
    assertThat(removed.getStatus()).isEqualTo(ReceiptStatus.OK);
    assertThat(ledger.validators())
        .extracting(ValidatorInfo::publicKey)
        .doesNotContain(key(1000).publicKey());
    assertThat(apply(ADMIN, 2, "RemoveValidator", remove).getError())
        .startsWith("INVALID_MESSAGE")
        .contains("no validator");
  }

  @Test
  void onlyTheAdminMayChangeTheValidatorSet() {
    Receipt r = apply(3, 0, "AddValidator", addValidator(key(1100), 1));
    assertThat(r.getError()).startsWith("UNAUTHORIZED");
    assertThat(ledger.validators()).hasSize(3);
    assertThat(ledger.account(TestNet.address(3)).nonce()).isEqualTo(1);
  }

  @Test
  void invalidValidatorRecordsAreRefused() {
    assertThat(apply(ADMIN, 0, "AddValidator", addValidator(key(1100), 0)).getError())
        .startsWith("INVALID_MESSAGE")
        .contains("power");
    byte[] noKey =
        AddValidator.newBuilder()
            .setValidator(ValidatorRecord.newBuilder().setPower(1).setRaftAddress("h:1"))
            .build()
            .toByteArray();
    assertThat(apply(ADMIN, 1, "AddValidator", noKey).getError()).contains("32 bytes");
    assertThat(ledger.validators()).hasSize(3);
  }

  @Test
  void aRaftAddressMustBeHostAndPortAndUnused() {
    Hash root = ledger.stateRoot();
    for (String bad : List.of("127.0.0.1", "127.0.0.1:0", "127.0.0.1:70000", ":9100", "h:x")) {
      assertThat(admit(ADMIN, 0, "AddValidator", addValidator(key(1100), 1, bad)).message())
          .as(bad)
          .contains("raft_address");
    }
    // Genesis validator key(1000) listens at 127.0.0.1:9000.
    AdmissionResult taken =
        admit(ADMIN, 0, "AddValidator", addValidator(key(1100), 1, "127.0.0.1:9000"));
    assertThat(taken.rejection()).isEqualTo(TxRejection.INVALID_MESSAGE);
    assertThat(taken.message())
        .contains("already used by validator " + key(1000).publicKey().toHex());
    assertThat(ledger.stateRoot()).isEqualTo(root);

    // Executed anyway (a leader that skipped admission): the same refusals, as receipts.
    assertThat(apply(ADMIN, 0, "AddValidator", addValidator(key(1100), 1, "h:x")).getError())
        .startsWith("INVALID_MESSAGE")
        .contains("raft_address");
    assertThat(
            apply(ADMIN, 1, "AddValidator", addValidator(key(1100), 1, "127.0.0.1:9000"))
                .getError())
        .contains("already used");
    assertThat(ledger.validators()).hasSize(3);
  }

  @Test
  void aValidatorMayChangeItsPowerButNotItsRaftAddress() {
    assertThat(
            apply(ADMIN, 0, "AddValidator", addValidator(key(1000), 5, "127.0.0.1:9000"))
                .getStatus())
        .isEqualTo(ReceiptStatus.OK);
    assertThat(ledger.validators())
        .filteredOn(v -> v.publicKey().equals(key(1000).publicKey()))
        .extracting(ValidatorInfo::power)
        .containsExactly(5L);
    AdmissionResult moved =
        admit(ADMIN, 1, "AddValidator", addValidator(key(1000), 5, "127.0.0.1:9555"));
    assertThat(moved.message()).contains("listens at 127.0.0.1:9000").contains("remove it first");
  }

  @Test
  void admissionRefusesARemovalThatWouldFailSoNothingChanges() {
    Hash root = ledger.stateRoot();
    AdmissionResult unknown = admit(ADMIN, 0, "RemoveValidator", removeValidator(key(1100)));
    assertThat(unknown.rejection()).isEqualTo(TxRejection.INVALID_MESSAGE);
    assertThat(unknown.message()).contains("no validator with public key");
    assertThat(admit(3, 0, "RemoveValidator", removeValidator(key(1000))).rejection())
        .isEqualTo(TxRejection.UNAUTHORIZED);
    assertThat(admit(ADMIN, 0, "RemoveValidator", removeValidator(key(1000))).isOk()).isTrue();
    assertThat(ledger.stateRoot()).isEqualTo(root);
    assertThat(ledger.account(TestNet.address(ADMIN)).nonce()).isZero();
  }

  @Test
  void theLastValidatorCannotBeRemoved() {
    ledger.close();
    ledger = Ledger.open(dir.resolve("single"), TestNet.genesis(2, 1));
    byte[] remove =
        RemoveValidator.newBuilder()
            .setPublicKey(key(1000).publicKey().toByteString())
            .build()
            .toByteArray();
    assertThat(apply(ADMIN, 0, "RemoveValidator", remove).getError()).contains("last validator");
    assertThat(ledger.validators()).hasSize(1);
  }
}
