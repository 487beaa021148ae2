package org.fedledger.core.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.TxBody;
import org.fedledger.core.proto.bank.Transfer;
import org.junit.jupiter.api.Test;

class TransactionBuilderTest {
  private static final Ed25519KeyPair KEY = TransactionCodecTest.KEY;
  private static final Transfer TRANSFER =
      Transfer.newBuilder().setTo(ByteString.copyFrom(new byte[20])).setAmount(5).build();

  private static TransactionBuilder complete() {
    return TransactionBuilder.builder()
        .setChainId("fedledger-test")
        .setKey(KEY)
        .setNonce(3)
        .setMessage("bank", TRANSFER)
        .optMemo("hello");
  }

  @Test
  void buildsWhatTheCodecSignsFromTheSameBody() throws Exception {
    SignedTransaction tx = complete().build();

    assertThat(tx).isEqualTo(TransactionCodec.sign(TransactionCodecTest.body().build(), KEY));
    DecodedTransaction decoded = TransactionCodec.decode(tx.toByteArray());
    assertThat(decoded.hasValidSignature()).isTrue();
    assertThat(decoded.body().getMessageType()).isEqualTo("Transfer");
    assertThat(Transfer.parseFrom(decoded.body().getPayload())).isEqualTo(TRANSFER);
  }

  @Test
  void theMessageTypeCanBeGivenExplicitly() {
    TxBody body = complete().setMessage("bank", "Send", TRANSFER).buildBody();
    assertThat(body.getModule()).isEqualTo("bank");
    assertThat(body.getMessageType()).isEqualTo("Send");
  }

  @Test
  void theMemoIsOptional() {
    TxBody body = complete().optMemo(null).buildBody();
    assertThat(body.getMemo()).isEmpty();
  }

  @Test
  void missingPartsAreNamed() {
    assertMissing(complete().setChainId(null), "a chain id (setChainId)");
    assertMissing(complete().setChainId(""), "a chain id (setChainId)");
    assertMissing(complete().setKey(null), "a key (setKey)");
    assertMissing(
        TransactionBuilder.builder().setChainId("c").setKey(KEY).setMessage("bank", TRANSFER),
        "a nonce (setNonce)");
    assertMissing(complete().setMessage("", TRANSFER), "a module and message type (setMessage)");
    assertMissing(complete().setMessage("bank", null), "a module and message type (setMessage)");
    assertMissing(complete().setMessage("bank", "Transfer", null), "a payload (setMessage)");
  }

  @Test
  void whatNodesWouldRejectIsRefused() {
    assertThatThrownBy(() -> complete().optMemo("x".repeat(257)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "nodes would reject this transaction (MALFORMED): memo is 257 bytes of UTF-8; the"
                + " limit is 256");
    Transfer huge =
        Transfer.newBuilder()
            .setTo(ByteString.copyFrom(new byte[TransactionCodec.MAX_TX_BYTES]))
            .build();
    assertThatThrownBy(() -> complete().setMessage("bank", huge).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(OVERSIZE)");
  }

  private static void assertMissing(TransactionBuilder builder, String what) {
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a transaction needs " + what);
  }
}
