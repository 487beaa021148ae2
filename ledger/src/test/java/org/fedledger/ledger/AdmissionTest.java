package org.fedledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedledger.ledger.TestNet.INITIAL;
import static org.fedledger.ledger.TestNet.transfer;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import org.fedledger.core.proto.ReceiptStatus;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.tx.DecodedTransaction;
import org.fedledger.core.tx.InvalidTransactionException;
import org.fedledger.core.tx.TransactionCodec;
import org.fedledger.core.tx.TxRejection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** checkTransaction: the mempool's admission rules against committed state. */
class AdmissionTest {
  @TempDir Path dir;
  private Ledger ledger;

  @BeforeEach
  void open() {
    ledger = Ledger.open(dir, TestNet.genesis());
  }

  @AfterEach
  void close() {
    ledger.close();
  }

  private static DecodedTransaction decode(SignedTransaction tx) {
    try {
      return TransactionCodec.decode(tx);
    } catch (InvalidTransactionException e) {
      throw new AssertionError(e);
    }
  }

  private TxRejection check(SignedTransaction tx) {
    return ledger.checkTransaction(decode(tx)).rejection();
  }

  @Test
  void aValidTransferIsAdmittedAndThenApplies() {
    SignedTransaction tx = transfer(0, 1, 10, 0);
    AdmissionResult result = ledger.checkTransaction(decode(tx));
    assertThat(result.isOk()).isTrue();
    assertThat(result.message()).isEmpty();
    BlockResult r = ledger.applyBlock(TestNet.proposal(tx), new byte[0]);
    assertThat(r.receipts().get(0).getStatus()).isEqualTo(ReceiptStatus.OK);
  }

  @Test
  void nonceMustBeWithinTheWindowAboveTheAccountNonce() {
    assertThat(check(transfer(0, 1, 10, 5))).isNull();
    assertThat(check(transfer(0, 1, 10, 63))).isNull();
    assertThat(check(transfer(0, 1, 10, 64))).isEqualTo(TxRejection.BAD_NONCE);
    ledger.applyBlock(TestNet.proposal(transfer(0, 1, 10, 0)), new byte[0]);
    AdmissionResult stale = ledger.checkTransaction(decode(transfer(0, 1, 11, 0)));
    assertThat(stale.rejection()).isEqualTo(TxRejection.BAD_NONCE);
    assertThat(stale.message()).contains("[1, 65)");
  }

  @Test
  void refusalsCarryTheirReason() {
    SignedTransaction good = transfer(0, 1, 10, 0);
    byte[] sig = good.getSignature().toByteArray();
    sig[10] ^= 4;
    assertThat(check(good.toBuilder().setSignature(ByteString.copyFrom(sig)).build()))
        .isEqualTo(TxRejection.BAD_SIGNATURE);
    assertThat(check(transfer(0, 1, INITIAL + 1, 0))).isEqualTo(TxRejection.INSUFFICIENT_BALANCE);
    assertThat(check(TestNet.message(0, 0, "nope", "X", new byte[0])))
        .isEqualTo(TxRejection.UNKNOWN_MODULE);
    assertThat(check(TestNet.message(0, 0, "bank", "Burn", new byte[0])))
        .isEqualTo(TxRejection.UNKNOWN_MESSAGE);
    assertThat(check(TestNet.message(0, 0, "bank", "Transfer", new byte[] {(byte) 0xff})))
        .isEqualTo(TxRejection.INVALID_MESSAGE);
    assertThat(check(TestNet.message(0, 0, "validators", "RemoveValidator", new byte[0])))
        .isEqualTo(TxRejection.UNAUTHORIZED);
    SignedTransaction otherChain =
        TransactionCodec.sign(
            TestNet.body(TestNet.key(0), 0)
                .setChainId("elsewhere")
                .setModule("bank")
                .setMessageType("Transfer")
                .build(),
            TestNet.key(0));
    assertThat(check(otherChain)).isEqualTo(TxRejection.WRONG_CHAIN);
  }

  @Test
  void anIncludedTransactionIsRefusedAsDuplicate() {
    SignedTransaction tx = transfer(0, 1, 10, 0);
    ledger.applyBlock(TestNet.proposal(tx), new byte[0]);
    assertThat(check(tx)).isEqualTo(TxRejection.DUPLICATE);
  }

  @Test
  void admissionDoesNotChangeState() {
    var root = ledger.stateRoot();
    check(transfer(0, 1, 10, 0));
    check(TestNet.message(0, 0, "validators", "RemoveValidator", new byte[0]));
    assertThat(ledger.stateRoot()).isEqualTo(root);
    assertThat(ledger.account(TestNet.address(0)).nonce()).isZero();
  }
}
