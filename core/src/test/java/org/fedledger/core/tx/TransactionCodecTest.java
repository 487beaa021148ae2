package org.fedledger.core.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnknownFieldSet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.TxBody;
import org.fedledger.core.proto.bank.Transfer;
import org.junit.jupiter.api.Test;

class TransactionCodecTest {
  static final Ed25519KeyPair KEY =
      Ed25519KeyPair.fromSeedHex(
          "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");

  static TxBody.Builder body() {
    return TxBody.newBuilder()
        .setChainId("fedledger-test")
        .setSenderPublicKey(KEY.publicKey().toByteString())
        .setNonce(3)
        .setModule("bank")
        .setMessageType("Transfer")
        .setPayload(
            Transfer.newBuilder()
                .setTo(ByteString.copyFrom(new byte[20]))
                .setAmount(5)
                .build()
                .toByteString())
        .setMemo("hello");
  }

  static SignedTransaction valid() {
    return TransactionCodec.sign(body().build(), KEY);
  }

  @Test
  void aSignedTransactionDecodesWithItsHashAndSender() throws Exception {
    SignedTransaction signed = valid();
    DecodedTransaction tx = TransactionCodec.decode(signed.toByteArray());

    assertThat(tx.body()).isEqualTo(body().build());
    assertThat(tx.signed()).isEqualTo(signed);
    assertThat(tx.sender()).isEqualTo(KEY.publicKey());
    assertThat(tx.senderAddress()).isEqualTo(KEY.publicKey().address());
    assertThat(tx.hasValidSignature()).isTrue();
    assertThat(tx.hash())
        .isEqualTo(Sha256.hash(signed.getBody().toByteArray(), signed.getSignature().toByteArray()))
        .isEqualTo(TransactionCodec.hashOf(signed));
  }

  @Test
  void theHashDoesNotDependOnHowTheEnvelopeIsEncoded() throws Exception {
    SignedTransaction signed = valid();
    // Fields in reverse order: a legal encoding of the same message, other bytes.
    byte[] reversed = concat(field(2, signed.getSignature()), field(1, signed.getBody()));
    assertThat(reversed).isNotEqualTo(signed.toByteArray());
    assertThat(TransactionCodec.decode(reversed).hash()).isEqualTo(TransactionCodec.hashOf(signed));

    // Unknown fields in the envelope change its bytes, not the hash...
    SignedTransaction padded =
        signed.toBuilder()
            .setUnknownFields(
                UnknownFieldSet.newBuilder()
                    .addField(
                        9,
                        UnknownFieldSet.Field.newBuilder()
                            .addLengthDelimited(ByteString.copyFromUtf8("junk"))
                            .build())
                    .build())
            .build();
    assertThat(padded.toByteArray()).isNotEqualTo(signed.toByteArray());
    assertThat(TransactionCodec.hashOf(padded)).isEqualTo(TransactionCodec.hashOf(signed));
    // ...and a node refuses to carry them.
    assertRejected(
        () -> TransactionCodec.decode(padded.toByteArray()),
        TxRejection.MALFORMED,
        "SignedTransaction has fields this node does not know: [9]");
  }

  @Test
  void aBadSignatureDecodesButDoesNotVerify() throws Exception {
    byte[] sig = valid().getSignature().toByteArray();
    sig[0] ^= 1;
    SignedTransaction forged = valid().toBuilder().setSignature(ByteString.copyFrom(sig)).build();
    DecodedTransaction tx = TransactionCodec.decode(forged.toByteArray());
    assertThat(tx.hasValidSignature()).isFalse();
    assertThat(tx.hash()).isNotEqualTo(TransactionCodec.hashOf(valid()));

    // Signed by another key than the one the body names.
    Ed25519KeyPair other = Ed25519KeyPair.fromSeed(new byte[32]);
    SignedTransaction wrongKey = TransactionCodec.sign(body().build(), other);
    assertThat(TransactionCodec.decode(wrongKey).hasValidSignature()).isFalse();
  }

  @Test
  void emptyAndNullAreRejected() {
    assertRejected(() -> TransactionCodec.decode((byte[]) null), TxRejection.MALFORMED, "empty");
    assertRejected(() -> TransactionCodec.decode(new byte[0]), TxRejection.MALFORMED, "empty");
    assertRejected(
        () -> TransactionCodec.decode((SignedTransaction) null), TxRejection.MALFORMED, "empty");
    assertRejected(
        () -> TransactionCodec.decode(SignedTransaction.getDefaultInstance()),
        TxRejection.MALFORMED,
        "body is empty");
  }

  @Test
  void oversizeIsRejectedBeforeParsing() {
    // Garbage that would fail to parse: the size check comes first.
    byte[] big = new byte[TransactionCodec.MAX_TX_BYTES + 1];
    Arrays.fill(big, (byte) 0xff);
    assertRejected(
        () -> TransactionCodec.decode(big),
        TxRejection.OVERSIZE,
        "transaction is 65537 bytes; the limit is 65536");

    SignedTransaction huge =
        TransactionCodec.sign(
            body().setPayload(ByteString.copyFrom(new byte[TransactionCodec.MAX_TX_BYTES])).build(),
            KEY);
    assertRejected(() -> TransactionCodec.decode(huge), TxRejection.OVERSIZE, "the limit is 65536");
  }

  @Test
  void theLargestAcceptedTransactionIsExactlyAtTheLimit() throws Exception {
    int overhead = valid().getSerializedSize() - body().build().getPayload().size();
    // Grow the payload until the envelope is exactly MAX_TX_BYTES (varint lengths shift the sum).
    int payload = TransactionCodec.MAX_TX_BYTES - overhead;
    SignedTransaction tx;
    do {
      tx =
          TransactionCodec.sign(
              body().setPayload(ByteString.copyFrom(new byte[payload])).build(), KEY);
      payload--;
    } while (tx.getSerializedSize() > TransactionCodec.MAX_TX_BYTES);
    assertThat(tx.getSerializedSize()).isEqualTo(TransactionCodec.MAX_TX_BYTES);
    assertThat(TransactionCodec.decode(tx.toByteArray()).hasValidSignature()).isTrue();
  }

  @Test
  void garbageAndTruncationsAreMalformed() {
    assertRejected(
        () -> TransactionCodec.decode(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}),
        TxRejection.MALFORMED,
        "not a SignedTransaction");
    byte[] encoded = valid().toByteArray();
    for (int len = 1; len < encoded.length; len++) {
      byte[] truncated = Arrays.copyOf(encoded, len);
      assertThatThrownBy(() -> TransactionCodec.decode(truncated))
          .as("truncated to %d bytes", len)
          .isInstanceOf(InvalidTransactionException.class)
          .extracting(e -> ((InvalidTransactionException) e).reason())
          .isEqualTo(TxRejection.MALFORMED);
    }
  }

  @Test
  void badLengthsAreMalformed() {
    SignedTransaction good = valid();
    for (int len : new int[] {0, 63, 65}) {
      SignedTransaction tx =
          good.toBuilder().setSignature(ByteString.copyFrom(new byte[len])).build();
      assertRejected(
          () -> TransactionCodec.decode(tx.toByteArray()),
          TxRejection.MALFORMED,
          "signature must be 64 bytes, got " + len);
    }
    for (int len : new int[] {0, 31, 33}) {
      SignedTransaction tx =
          TransactionCodec.sign(
              body().setSenderPublicKey(ByteString.copyFrom(new byte[len])).build(), KEY);
      assertRejected(
          () -> TransactionCodec.decode(tx.toByteArray()),
          TxRejection.MALFORMED,
          "sender_public_key must be 32 bytes, got " + len);
    }
  }

  @Test
  void aBodyThatIsNotATxBodyIsMalformed() {
    SignedTransaction tx =
        valid().toBuilder().setBody(ByteString.copyFrom(new byte[] {(byte) 0xff, 0x01})).build();
    assertRejected(
        () -> TransactionCodec.decode(tx.toByteArray()),
        TxRejection.MALFORMED,
        "body is not a TxBody");
  }

  @Test
  void invalidUtf8InAStringIsMalformed() throws Exception {
    // chain_id (field 1) holding the bytes C3 28, which are not UTF-8.
    ByteString body =
        ByteString.copyFrom(field(1, ByteString.copyFrom(new byte[] {(byte) 0xc3, 0x28})));
    SignedTransaction tx =
        SignedTransaction.newBuilder()
            .setBody(body.concat(body().clearChainId().build().toByteString()))
            .setSignature(ByteString.copyFrom(new byte[64]))
            .build();
    assertRejected(
        () -> TransactionCodec.decode(tx.toByteArray()),
        TxRejection.MALFORMED,
        "body is not a TxBody: " + ProtobufErrors.NOT_PROTOBUF);
  }

  @Test
  void unknownFieldsInTheBodyAreMalformed() throws Exception {
    ByteString extra = ByteString.copyFrom(field(42, ByteString.copyFromUtf8("fee=0")));
    byte[] bodyBytes = body().build().toByteString().concat(extra).toByteArray();
    SignedTransaction tx =
        SignedTransaction.newBuilder()
            .setBody(ByteString.copyFrom(bodyBytes))
            .setSignature(ByteString.copyFrom(KEY.sign(bodyBytes)))
            .build();
    assertRejected(
        () -> TransactionCodec.decode(tx.toByteArray()),
        TxRejection.MALFORMED,
        "TxBody has fields this node does not know: [42]");
  }

  @Test
  void moduleAndMessageTypeAreRequired() {
    SignedTransaction noModule = TransactionCodec.sign(body().clearModule().build(), KEY);
    SignedTransaction noType = TransactionCodec.sign(body().clearMessageType().build(), KEY);
    assertRejected(
        () -> TransactionCodec.decode(noModule.toByteArray()),
        TxRejection.MALFORMED,
        "module is required");
    assertRejected(
        () -> TransactionCodec.decode(noType.toByteArray()),
        TxRejection.MALFORMED,
        "message_type is required");
  }

  @Test
  void theMemoLimitCountsUtf8Bytes() throws Exception {
    // 'é' is two bytes: 128 of them are exactly the limit, 129 are over it.
    SignedTransaction atLimit = TransactionCodec.sign(body().setMemo("é".repeat(128)).build(), KEY);
    assertThat(TransactionCodec.decode(atLimit.toByteArray()).body().getMemo()).hasSize(128);

    SignedTransaction over = TransactionCodec.sign(body().setMemo("é".repeat(129)).build(), KEY);
    assertRejected(
        () -> TransactionCodec.decode(over.toByteArray()),
        TxRejection.MALFORMED,
        "memo is 258 bytes of UTF-8; the limit is 256");
  }

  static void assertRejected(ThrowingCallable call, TxRejection reason, String message) {
    assertThatThrownBy(call)
        .isInstanceOf(InvalidTransactionException.class)
        .hasMessageContaining(message)
        .extracting(e -> ((InvalidTransactionException) e).reason())
        .isEqualTo(reason);
  }

  /** A length-delimited protobuf field, encoded by hand. */
  static byte[] field(int number, ByteString value) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream coded = CodedOutputStream.newInstance(out);
    coded.writeBytes(number, value);
    coded.flush();
    return out.toByteArray();
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
