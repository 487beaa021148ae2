package org.fedledger.consensus.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fedledger.consensus.testing.Chains;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.BlockProposal;
import org.fedledger.ledger.Genesis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReopenableApplicationTest {
  @TempDir Path dir;
  private final List<Ed25519KeyPair> accounts = Chains.keys(2, 1);
  private final Genesis genesis = Chains.genesis(Chains.keys(1, 9), accounts);

  private static BlockProposal oneTransfer(Ed25519KeyPair from, long nonce, Ed25519KeyPair to)
      throws Exception {
    return BlockProposal.newBuilder()
        .setTimestampMillis(1_700_000_001_000L)
        .addTransactions(
            Chains.sign(Chains.transferBody(from, nonce, to.publicKey().address(), 5), from))
        .build();
  }

  @Test
  void replacesTheStateWithACompleteCheckpointAndKeepsServing() throws Exception {
    Path source = dir.resolve("source");
    Hash sourceRoot;
    try (Application other = LedgerApplication.factory(genesis).open(source)) {
      other.applyBlock(oneTransfer(accounts.get(0), 0, accounts.get(1)), new byte[16]);
      other.applyBlock(oneTransfer(accounts.get(0), 1, accounts.get(1)), new byte[16]);
      sourceRoot = other.stateRoot();
      try (ReopenableApplication<LedgerApplication> app =
          ReopenableApplication.open(dir.resolve("ledger"), LedgerApplication.factory(genesis))) {
        assertThat(app.height()).isZero();
        other.checkpoint(app.incomingDir());
        assertThatThrownBy(app::replaceWithIncoming)
            .as("an incoming state not marked complete is refused")
            .isInstanceOf(IOException.class);
        Files.createFile(app.incomingDir().resolve(ReopenableApplication.COMPLETE_MARKER));
        app.replaceWithIncoming();

        assertThat(app.height()).isEqualTo(2);
        assertThat(app.stateRoot()).isEqualTo(sourceRoot);
        assertThat(app.accountNonce(accounts.get(0).publicKey().address())).isEqualTo(2);
        assertThat(Files.exists(app.incomingDir())).isFalse();
      }
    }
  }

  @Test
  void finishesASwapInterruptedAfterTheOldStateWasMovedAside() throws Exception {
    Path live = dir.resolve("ledger");
    Path incoming = dir.resolve("ledger.incoming");
    try (Application other = LedgerApplication.factory(genesis).open(dir.resolve("source"))) {
      other.applyBlock(oneTransfer(accounts.get(0), 0, accounts.get(1)), new byte[16]);
      other.checkpoint(incoming);
    }
    Files.createFile(incoming.resolve(ReopenableApplication.COMPLETE_MARKER));
    Files.createDirectories(dir.resolve("ledger.old")); // the crash happened right after this
    assertThat(Files.exists(live)).isFalse();

    try (ReopenableApplication<LedgerApplication> app =
        ReopenableApplication.open(live, LedgerApplication.factory(genesis))) {
      assertThat(app.height()).isEqualTo(1);
    }
    assertThat(Files.exists(dir.resolve("ledger.old"))).isFalse();
  }

  @Test
  void aProposalWithUndecodableBytesIsAppliedWithoutThrowing() throws Exception {
    // A faulty leader may propose garbage; applying it must yield receipts, never an exception
    // (which would stop the Ratis server).
    BlockProposal garbage =
        oneTransfer(accounts.get(0), 0, accounts.get(1)).toBuilder()
            .addTransactions(
                org.fedledger.core.proto.SignedTransaction.newBuilder()
                    .setBody(com.google.protobuf.ByteString.copyFrom(new byte[] {(byte) 0xff, 1}))
                    .setSignature(com.google.protobuf.ByteString.copyFrom(new byte[64])))
            .build();
    try (Application app = LedgerApplication.factory(genesis).open(dir.resolve("garbage"))) {
      AppliedBlock applied = app.applyBlock(garbage, new byte[16]);
      assertThat(applied.height()).isEqualTo(1);
      assertThat(applied.outcomes()).hasSize(1);
      assertThat(applied.outcomes().get(0).ok()).isTrue();
      assertThat(app.accountNonce(accounts.get(0).publicKey().address())).isEqualTo(1);
    }
  }
}
