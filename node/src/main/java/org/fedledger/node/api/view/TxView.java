package org.fedledger.node.api.view;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fedledger.core.address.Address;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.TxBody;
import org.fedledger.core.proto.bank.Transfer;
import org.fedledger.core.tx.TransactionCodec;

/**
 * A transaction for humans and tools.
 *
 * @param message the decoded payload for message types this view knows (bank Transfer), else null
 * @param payload the module message as sent, base64
 * @param encoded the whole SignedTransaction, base64: what to hash or re-verify
 */
public record TxView(
    String hash,
    String chainId,
    String sender,
    String senderPublicKey,
    long nonce,
    String module,
    String messageType,
    Map<String, Object> message,
    String payload,
    String memo,
    String signature,
    String encoded) {

  public static TxView of(SignedTransaction tx) {
    TxBody body;
    try {
      body = TxBody.parseFrom(tx.getBody());
    } catch (InvalidProtocolBufferException e) {
      // Committed transactions were decoded at admission; this would mean a corrupt store.
      throw new IllegalStateException("stored transaction has an undecodable body", e);
    }
    byte[] pk = body.getSenderPublicKey().toByteArray();
    return new TxView(
        TransactionCodec.hashOf(tx).toHex(),
        body.getChainId(),
        pk.length == 32 ? Address.fromPublicKey(pk).toHex() : null,
        Hex.of(pk),
        body.getNonce(),
        body.getModule(),
        body.getMessageType(),
        decode(body),
        Base64.getEncoder().encodeToString(body.getPayload().toByteArray()),
        body.getMemo(),
        Hex.of(tx.getSignature()),
        Base64.getEncoder().encodeToString(tx.toByteArray()));
  }

  private static Map<String, Object> decode(TxBody body) {
    if (body.getModule().equals("bank") && body.getMessageType().equals("Transfer")) {
      try {
        Transfer t = Transfer.parseFrom(body.getPayload());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("to", Hex.of(t.getTo()));
        m.put("amount", Long.toUnsignedString(t.getAmount()));
        return m;
      } catch (InvalidProtocolBufferException e) {
        return null;
      }
    }
    return null;
  }
}
