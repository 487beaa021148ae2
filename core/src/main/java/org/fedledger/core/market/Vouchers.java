package org.fedledger.core.market;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.crypto.Ed25519PublicKey;
import org.fedledger.core.proto.market.SignedVoucher;
import org.fedledger.core.proto.market.Voucher;
import org.fedledger.core.tx.ProtobufErrors;

/**
 * Signing and checking payment-channel {@link Voucher}s. A client signs, with the Ed25519 key that
 * opened the channel, the bytes
 *
 * <pre>
 *   "fedledger/voucher/v1"   20 bytes, ASCII: the domain
 *   voucher                  the serialized Voucher, exactly as carried in SignedVoucher.voucher
 * </pre>
 *
 * <p>Why a domain: the client's channel key is also its account key, which signs transactions. With
 * the domain, no voucher can ever pass for a transaction body (or a state-root vote), and no
 * signature made for one of those can pass for a voucher, whatever protobuf's parsers accept.
 *
 * <p>The chain id, channel id and nonce inside the voucher stop a voucher from being replayed on
 * another chain, another channel, or after the channel was claimed and reopened; which of those a
 * voucher must match is the caller's (the contract's, the provider's) to check, with {@link
 * #decode}.
 */
public final class Vouchers {
  /** The domain that starts every signed voucher. */
  public static final String DOMAIN = "fedledger/voucher/v1";

  private static final byte[] DOMAIN_BYTES = DOMAIN.getBytes(StandardCharsets.US_ASCII);

  private Vouchers() {}

  /** What a client signs for the serialized voucher, laid out as above. */
  public static byte[] signingBytes(byte[] voucher) {
    Objects.requireNonNull(voucher, "voucher");
    byte[] out = new byte[DOMAIN_BYTES.length + voucher.length];
    System.arraycopy(DOMAIN_BYTES, 0, out, 0, DOMAIN_BYTES.length);
    System.arraycopy(voucher, 0, out, DOMAIN_BYTES.length, voucher.length);
    return out;
  }

  /** The client's signed voucher for (chain id, channel id, nonce, cumulative amount). */
  public static SignedVoucher sign(Ed25519KeyPair client, Voucher voucher) {
    byte[] bytes = voucher.toByteArray();
    return SignedVoucher.newBuilder()
        .setVoucher(ByteString.copyFrom(bytes))
        .setSignature(ByteString.copyFrom(client.sign(signingBytes(bytes))))
        .build();
  }

  /**
   * True if the voucher's bytes are signed by client under {@link
   * org.fedledger.core.crypto.Ed25519}'s rule; false for any malformed input. Never throws for
   * non-null arguments.
   */
  public static boolean verify(SignedVoucher signed, Ed25519PublicKey client) {
    return client.verify(
        signingBytes(signed.getVoucher().toByteArray()), signed.getSignature().toByteArray());
  }

  /**
   * The voucher the signed bytes encode.
   *
   * @throws InvalidVoucherException if the bytes are not a Voucher, or carry fields a Voucher does
   *     not have (a signer must not be held to bytes no one can read)
   */
  public static Voucher decode(SignedVoucher signed) throws InvalidVoucherException {
    Voucher voucher;
    try {
      voucher = Voucher.parseFrom(signed.getVoucher());
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidVoucherException(
          "the voucher bytes are not a Voucher: " + ProtobufErrors.describe(e));
    }
    if (!voucher.getUnknownFields().asMap().isEmpty()) {
      throw new InvalidVoucherException(
          "the voucher carries fields a Voucher does not have: "
              + voucher.getUnknownFields().asMap().keySet());
    }
    return voucher;
  }

  /** A voucher whose bytes cannot be read; the message says what was wrong. */
  public static final class InvalidVoucherException extends Exception {
    public InvalidVoucherException(String message) {
      super(message);
    }
  }
}
