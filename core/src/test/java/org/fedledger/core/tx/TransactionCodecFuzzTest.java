package org.fedledger.core.tx;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Random;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.TxBody;
import org.junit.jupiter.api.Test;

/**
 * {@link TransactionCodec#decode(byte[])} on arbitrary bytes either returns a transaction
 * consistent with those bytes or throws {@link InvalidTransactionException}: never any other
 * exception, since its callers (the mempool, block execution) treat anything else as a crash.
 *
 * <p>Under {@code mvn verify} the fuzz test replays its seeds (in src/test/resources, beside this
 * class's package) and the property test below mutates a valid transaction a few thousand times.
 * For real fuzzing see core/README.md.
 */
class TransactionCodecFuzzTest {

  @FuzzTest(maxDuration = "10m")
  void decode(byte[] data) {
    checkDecode(data);
  }

  @Test
  void randomMutationsOfValidTransactionsKeepTheContract() {
    byte[] valid = TransactionCodecTest.valid().toByteArray();
    Random random = new Random(20250101L);
    for (int i = 0; i < 5_000; i++) {
      checkDecode(Mutations.mutate(valid, random));
    }
  }

  static void checkDecode(byte[] data) {
    DecodedTransaction tx;
    try {
      tx = TransactionCodec.decode(data);
    } catch (InvalidTransactionException e) {
      assertThat(e.reason()).isIn(TxRejection.MALFORMED, TxRejection.OVERSIZE);
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    assertThat(data.length).isBetween(1, TransactionCodec.MAX_TX_BYTES);
    SignedTransaction signed = parse(data);
    assertThat(tx.signed()).isEqualTo(signed);
    assertThat(tx.hash()).isEqualTo(TransactionCodec.hashOf(signed));
    TxBody body = parseBody(signed);
    assertThat(tx.body()).isEqualTo(body);
    assertThat(tx.sender().toByteArray()).isEqualTo(body.getSenderPublicKey().toByteArray());
    assertThat(tx.senderAddress()).isEqualTo(tx.sender().address());
    assertThat(body.getModule()).isNotEmpty();
    assertThat(body.getMessageType()).isNotEmpty();
    assertThat(body.getMemoBytes().size()).isLessThanOrEqualTo(TransactionCodec.MAX_MEMO_BYTES);
    // Re-encoding the envelope changes nothing that matters.
    try {
      assertThat(TransactionCodec.decode(signed.toByteArray()).hash()).isEqualTo(tx.hash());
    } catch (InvalidTransactionException e) {
      throw new AssertionError("an accepted transaction is rejected once re-encoded", e);
    }
    tx.hasValidSignature(); // any answer, but an answer
  }

  private static SignedTransaction parse(byte[] data) {
    try {
      return SignedTransaction.parseFrom(data);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("accepted bytes that do not parse", e);
    }
  }

  private static TxBody parseBody(SignedTransaction signed) {
    try {
      return TxBody.parseFrom(signed.getBody());
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("accepted a body that does not parse", e);
    }
  }
}
