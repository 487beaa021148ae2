package org.fedledger.node.serve;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.crypto.Ed25519PublicKey;
import org.fedledger.core.hash.Hash;

/**
 * The provider's signed receipt for one answered call: Ed25519 by the provider's key over
 *
 * <pre>
 *   "fedledger/receipt/v1"   20 bytes, ASCII: the domain (no receipt passes for a voucher or tx)
 *   request hash             32 bytes: SHA-256 of the request body as received
 *   channel id               32 bytes (zeros for the owner's own unpaid call)
 *   nonce                    8 bytes, big-endian
 *   amount                   8 bytes, big-endian: the cumulative amount the call's voucher carried
 * </pre>
 *
 * A client keeps receipts as proof of what it paid for and what it was answered.
 */
public final class Receipts {
  public static final String DOMAIN = "fedledger/receipt/v1";
  private static final byte[] DOMAIN_BYTES = DOMAIN.getBytes(StandardCharsets.US_ASCII);

  private Receipts() {}

  /** A signed receipt; hex fields as the API writes them. */
  public record Receipt(
      String requestHash,
      String channelId,
      long nonce,
      long amount,
      String provider,
      String signature) {}

  public static byte[] signingBytes(Hash requestHash, Hash channelId, long nonce, long amount) {
    return ByteBuffer.allocate(DOMAIN_BYTES.length + 2 * Hash.LENGTH + 16)
        .put(DOMAIN_BYTES)
        .put(requestHash.toByteArray())
        .put(channelId.toByteArray())
        .putLong(nonce)
        .putLong(amount)
        .array();
  }

  public static Receipt sign(
      Ed25519KeyPair provider, Hash requestHash, Hash channelId, long nonce, long amount) {
    byte[] sig = provider.sign(signingBytes(requestHash, channelId, nonce, amount));
    return new Receipt(
        requestHash.toHex(),
        channelId.toHex(),
        nonce,
        amount,
        provider.publicKey().toHex(),
        HexFormat.of().formatHex(sig));
  }

  /** True if the receipt is signed by its provider key over its fields; false if malformed. */
  public static boolean verify(Receipt r) {
    try {
      byte[] message =
          signingBytes(
              Hash.fromHex(r.requestHash()), Hash.fromHex(r.channelId()), r.nonce(), r.amount());
      return Ed25519PublicKey.fromHex(r.provider())
          .verify(message, HexFormat.of().parseHex(r.signature()));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
