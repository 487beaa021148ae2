package org.fedledger.core.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.proto.TxBody;
import org.fedledger.core.proto.market.SignedVoucher;
import org.fedledger.core.proto.market.Voucher;
import org.fedledger.core.tx.TransactionCodec;
import org.junit.jupiter.api.Test;

class VouchersTest {
  private static final Ed25519KeyPair CLIENT = Ed25519KeyPair.fromSeedHex("11".repeat(32));
  private static final Ed25519KeyPair OTHER = Ed25519KeyPair.fromSeedHex("22".repeat(32));
  private static final Voucher VOUCHER =
      Voucher.newBuilder()
          .setChainId("fed-1")
          .setChannelId(ByteString.copyFrom(new byte[32]))
          .setNonce(3)
          .setAmount(1_500)
          .build();

  @Test
  void aSignedVoucherVerifiesUnderItsClientsKeyOnly() throws Exception {
    SignedVoucher signed = Vouchers.sign(CLIENT, VOUCHER);

    assertThat(Vouchers.verify(signed, CLIENT.publicKey())).isTrue();
    assertThat(Vouchers.verify(signed, OTHER.publicKey())).isFalse();
    assertThat(Vouchers.decode(signed)).isEqualTo(VOUCHER);
  }

  @Test
  void changingAnyByteOfTheVoucherBreaksTheSignature() {
    SignedVoucher signed = Vouchers.sign(CLIENT, VOUCHER);
    SignedVoucher raised =
        signed.toBuilder()
            .setVoucher(VOUCHER.toBuilder().setAmount(1_501).build().toByteString())
            .build();

    assertThat(Vouchers.verify(raised, CLIENT.publicKey())).isFalse();
  }

  @Test
  void theSignatureCoversTheDomainThenTheVoucherBytes() {
    byte[] bytes = VOUCHER.toByteArray();
    byte[] signing = Vouchers.signingBytes(bytes);

    assertThat(new String(signing, 0, 20, StandardCharsets.US_ASCII))
        .isEqualTo("fedledger/voucher/v1");
    assertThat(signing).hasSize(20 + bytes.length).endsWith(bytes);
    // A signature over the bare voucher bytes (no domain) is not a voucher signature.
    SignedVoucher bare =
        SignedVoucher.newBuilder()
            .setVoucher(ByteString.copyFrom(bytes))
            .setSignature(ByteString.copyFrom(CLIENT.sign(bytes)))
            .build();
    assertThat(Vouchers.verify(bare, CLIENT.publicKey())).isFalse();
  }

  @Test
  void aTransactionSignatureDoesNotPassForAVoucher() {
    TxBody body =
        TxBody.newBuilder()
            .setChainId("fed-1")
            .setSenderPublicKey(CLIENT.publicKey().toByteString())
            .setModule("bank")
            .setMessageType("Transfer")
            .build();
    var tx = TransactionCodec.sign(body, CLIENT);
    SignedVoucher forged =
        SignedVoucher.newBuilder().setVoucher(tx.getBody()).setSignature(tx.getSignature()).build();

    assertThat(Vouchers.verify(forged, CLIENT.publicKey())).isFalse();
  }

  @Test
  void bytesThatAreNotAVoucherAreRefusedWithTheReason() {
    SignedVoucher garbage =
        SignedVoucher.newBuilder()
            .setVoucher(ByteString.copyFrom(new byte[] {(byte) 0xff}))
            .build();
    assertThatThrownBy(() -> Vouchers.decode(garbage))
        .isInstanceOf(Vouchers.InvalidVoucherException.class)
        .hasMessageContaining("not a Voucher");

    // Field 9 (varint 1) after a valid voucher: a field no Voucher has.
    ByteString extra = VOUCHER.toByteString().concat(ByteString.copyFrom(new byte[] {0x48, 0x01}));
    SignedVoucher unknown = Vouchers.sign(CLIENT, VOUCHER).toBuilder().setVoucher(extra).build();
    assertThatThrownBy(() -> Vouchers.decode(unknown))
        .isInstanceOf(Vouchers.InvalidVoucherException.class)
        .hasMessageContaining("fields a Voucher does not have");
  }
}
