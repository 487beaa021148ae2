package org.fedledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedledger.ledger.TestNet.INITIAL;
import static org.fedledger.ledger.TestNet.transfer;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import java.nio.file.Path;
import org.fedledger.core.proto.ReceiptStatus;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.bank.Transfer;
import org.fedledger.core.proto.validators.RemoveValidator;
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
  void aPayloadWithUnknownFieldsIsRefusedAtAdmissionAndFailsIfExecutedAnyway() {
    byte[] padded =
        Transfer.newBuilder()
            .setTo(TestNet.address(1).toByteString())
            .setAmount(10)
            .setUnknownFields(
                UnknownFieldSet.newBuilder()
                    .addField(
                        77,
                        UnknownFieldSet.Field.newBuilder()
                            .addLengthDelimited(ByteString.copyFrom(new byte[20_000]))
                            .build())
                    .build())
            .build()
            .toByteArray();
    SignedTransaction tx = TestNet.message(0, 0, "bank", "Transfer", padded);
    AdmissionResult refused = ledger.checkTransaction(decode(tx));
    assertThat(refused.rejection()).isEqualTo(TxRejection.INVALID_MESSAGE);
    assertThat(refused.message()).contains("fields its schema does not declare", "77");

    // A leader that skipped admission: the block records the failure, the transfer does not move.
    BlockResult r = ledger.applyBlock(TestNet.proposal(tx), new byte[0]);
    assertThat(r.receipts().get(0).getStatus()).isNotEqualTo(ReceiptStatus.OK);
    assertThat(ledger.account(TestNet.address(1)).balance()).isEqualTo(INITIAL);
  }

  @Test
  void anUnfundedSenderIsRefusedButTheAdminAndValidatorsNeedNoBalance() {
    // Account 20 was never funded; the admin (900) and the validators (1000..) were not either.
    AdmissionResult unfunded = ledger.checkTransaction(decode(transfer(20, 1, 0, 0)));
    assertThat(unfunded.rejection()).isEqualTo(TxRejection.INSUFFICIENT_BALANCE);
    assertThat(unfunded.message()).contains("fund the account first");
    byte[] removal =
        RemoveValidator.newBuilder()
            .setPublicKey(TestNet.key(1000).publicKey().toByteString())
            .build()
            .toByteArray();
    assertThat(
            ledger
                .checkTransaction(
                    decode(TestNet.message(900, 0, "validators", "RemoveValidator", removal)))
                .isOk())
        .isTrue();
    // A validator gets past the funding rule to the message's own check (a transfer it cannot pay).
    AdmissionResult validator = ledger.checkTransaction(decode(transfer(1000, 1, 5, 0)));
    assertThat(validator.message()).doesNotContain("fund the account first").contains("needs 5");
  }

  @Test
  void cheapChecksComeBeforeTheSignature() {
    SignedTransaction farAhead = transfer(0, 1, 10, 1_000);
    SignedTransaction junk =
        farAhead.toBuilder().setSignature(ByteString.copyFrom(new byte[64])).build();
    assertThat(check(junk)).isEqualTo(TxRejection.BAD_NONCE);
    SignedTransaction unfundedJunk =
        transfer(20, 1, 0, 0).toBuilder().setSignature(ByteString.copyFrom(new byte[64])).build();
    assertThat(check(unfundedJunk)).isEqualTo(TxRejection.INSUFFICIENT_BALANCE);
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
