package org.fedledger.consensus.mempool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedledger.consensus.testing.Chains.sign;
import static org.fedledger.consensus.testing.Chains.transfer;
import static org.fedledger.consensus.testing.Chains.transferBody;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fedledger.consensus.app.LedgerApplication;
import org.fedledger.consensus.testing.Chains;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.proto.BlockProposal;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.bank.Transfer;
import org.fedledger.core.tx.TxRejection;
import org.fedledger.ledger.Ledger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Floods a real ledger's mempool the ways issue #21 lists; each is refused, honest senders pass.
 */
class MempoolFloodTest {
  @TempDir Path dir;

  private final List<Ed25519KeyPair> accounts = Chains.keys(40, 1);
  private final Ed25519KeyPair flooder = accounts.get(0);
  private final Ed25519KeyPair honest = accounts.get(1);
  private final Address sink = accounts.get(2).publicKey().address();
  private LedgerApplication app;
  private Mempool mempool;
  private long timestamp = 1_700_000_001_000L;

  @BeforeEach
  void open() {
    app =
        new LedgerApplication(
            Ledger.open(dir.resolve("ledger"), Chains.genesis(Chains.keys(1, 9), accounts)));
  }

  @AfterEach
  void close() {
    if (mempool != null) {
      mempool.close();
    }
    app.close();
  }

  private Mempool pool(MempoolConfig config) {
    mempool = new Mempool(app, config);
    return mempool;
  }

  private SubmitResult submit(byte[] tx) {
    return mempool.submit(List.of(tx)).get(0);
  }

  @Test
  void aPoolFullOfBytesRefusesMoreWhateverTheCount() {
    int txBytes = transfer(flooder, 0, sink, 1).length;
    long cap = 10L * txBytes + txBytes / 2; // room for 10 transfers, not 11
    pool(new MempoolConfig(1_000, 1_024, 1, cap, 64, 1 << 20, 100));
    List<SubmitResult> flood = new ArrayList<>();
    for (int i = 3; i < 3 + 12; i++) { // twelve senders, one transfer each
      flood.add(submit(transfer(accounts.get(i), 0, sink, 1)));
    }
    assertThat(flood.subList(0, 10)).allMatch(SubmitResult::accepted);
    assertThat(flood.get(10).rejection()).isEqualTo(TxRejection.MEMPOOL_FULL);
    assertThat(flood.get(10).message()).contains("capacity of " + cap + " bytes");
    assertThat(mempool.heldBytes()).isLessThanOrEqualTo(cap);
    assertThat(mempool.size()).isEqualTo(10);

    commit(mempool.reap(100, Long.MAX_VALUE));
    assertThat(mempool.heldBytes()).isZero();
    assertThat(submit(transfer(honest, 0, sink, 1)).accepted()).isTrue();
  }

  @Test
  void oneSenderCannotHoldMoreThanItsShare() {
    pool(MempoolConfig.defaults().withSenderLimits(4, 1 << 20));
    List<SubmitResult> flood = new ArrayList<>();
    for (int n = 0; n < 6; n++) {
      flood.add(submit(transfer(flooder, n, sink, 1)));
    }
    assertThat(flood.subList(0, 4)).allMatch(SubmitResult::accepted);
    assertThat(flood.get(4).rejection()).isEqualTo(TxRejection.MEMPOOL_FULL);
    assertThat(flood.get(4).message()).contains("one sender may have at most 4");
    assertThat(submit(transfer(honest, 0, sink, 1)).accepted()).isTrue();
    assertThat(mempool.size()).isEqualTo(5);
  }

  @Test
  void transactionsParkedBehindAMissingNonceExpire() {
    pool(MempoolConfig.defaults().withGapExpiryBlocks(3));
    // The flooder's nonces 5..9 can never execute while 0..4 are missing.
    for (int n = 5; n < 10; n++) {
      assertThat(submit(transfer(flooder, n, sink, 1)).accepted()).isTrue();
    }
    assertThat(submit(transfer(honest, 0, sink, 1)).accepted()).isTrue();
    assertThat(submit(transfer(honest, 2, sink, 1)).accepted()).isTrue(); // briefly gapped

    commit(mempool.reap(100, Long.MAX_VALUE)); // honest nonce 0: height 1
    assertThat(submit(transfer(honest, 1, sink, 1)).accepted()).isTrue(); // the gap closes
    commit(List.of()); // height 2
    assertThat(mempool.size()).isEqualTo(7);
    commit(List.of()); // height 3: three blocks after the flooder's admission at height 0

    assertThat(mempool.pending())
        .as("the gapped flood left; the honest sender's queue, no longer gapped, stays")
        .extracting(PooledTx::sender)
        .containsOnly(honest.publicKey().address())
        .hasSize(2);
    assertThat(mempool.reap(100, Long.MAX_VALUE))
        .extracting(PooledTx::nonce)
        .containsExactly(1L, 2L);
  }

  @Test
  void reapWalksOnlyTheSendersItCanTakeFrom() {
    pool(MempoolConfig.defaults());
    for (int i = 3; i < 40; i++) { // 37 senders parked behind a gap
      assertThat(submit(transfer(accounts.get(i), 1, sink, 1)).accepted()).isTrue();
    }
    assertThat(submit(transfer(honest, 0, sink, 1)).accepted()).isTrue();
    assertThat(mempool.readySenderCount()).isEqualTo(1);

    assertThat(mempool.reap(100, Long.MAX_VALUE))
        .extracting(PooledTx::sender)
        .containsExactly(honest.publicKey().address());
    assertThat(mempool.readySenderCount()).as("all in flight").isZero();
    assertThat(submit(transfer(accounts.get(3), 0, sink, 1)).accepted()).isTrue();
    assertThat(mempool.readySenderCount()).as("its gap closed").isEqualTo(1);
    assertThat(mempool.reap(100, Long.MAX_VALUE))
        .extracting(PooledTx::nonce)
        .containsExactly(0L, 1L);
  }

  @Test
  void aPayloadPaddedWithUnknownFieldsIsRefusedWithTheReason() {
    pool(MempoolConfig.defaults());
    Transfer padded =
        Transfer.newBuilder()
            .setTo(sink.toByteString())
            .setAmount(1)
            .setUnknownFields(
                UnknownFieldSet.newBuilder()
                    .addField(
                        999,
                        UnknownFieldSet.Field.newBuilder()
                            .addLengthDelimited(ByteString.copyFrom(new byte[30_000]))
                            .build())
                    .build())
            .build();
    SignedTransaction tx =
        sign(transferBody(flooder, 0, sink, 1).setPayload(padded.toByteString()), flooder);

    SubmitResult r = submit(tx.toByteArray());

    assertThat(r.rejection()).isEqualTo(TxRejection.INVALID_MESSAGE);
    assertThat(r.message()).contains("fields its schema does not declare", "999");
    assertThat(mempool.size()).isZero();
  }

  @Test
  void anUnfundedKeyIsRefusedBeforeItsSignatureIsChecked() {
    pool(MempoolConfig.defaults());
    Ed25519KeyPair fresh = Chains.keys(1, 77).get(0);
    SignedTransaction forged =
        sign(transferBody(fresh, 0, sink, 0), fresh).toBuilder()
            .setSignature(ByteString.copyFrom(new byte[64]))
            .build();

    SubmitResult r = submit(forged.toByteArray());

    assertThat(r.rejection())
        .as("the cheap balance read decides; the signature is never verified")
        .isEqualTo(TxRejection.INSUFFICIENT_BALANCE);
    assertThat(r.message()).contains("fund the account first");
    // A junk signature with a nonce outside the window: refused for the nonce, not the signature.
    SignedTransaction farAhead =
        sign(transferBody(flooder, 1_000, sink, 1), flooder).toBuilder()
            .setSignature(ByteString.copyFrom(new byte[64]))
            .build();
    assertThat(submit(farAhead.toByteArray()).rejection()).isEqualTo(TxRejection.BAD_NONCE);
    assertThat(mempool.size()).isZero();
  }

  private void commit(List<PooledTx> txs) {
    BlockProposal.Builder b = BlockProposal.newBuilder().setTimestampMillis(timestamp += 1_000);
    txs.forEach(t -> b.addTransactions(t.signed()));
    mempool.onCommitted(app.applyBlock(b.build(), new byte[16]));
  }
}
