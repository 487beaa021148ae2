package org.fedledger.node.testing;

import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.TxBody;
import org.fedledger.core.proto.bank.Transfer;
import org.fedledger.core.tx.TransactionCodec;

/** Signed bank transfers for tests. */
public final class Transfers {
  private Transfers() {}

  public static TxBody.Builder body(
      String chainId, Ed25519KeyPair from, long nonce, Address to, long amount) {
    return TxBody.newBuilder()
        .setChainId(chainId)
        .setSenderPublicKey(from.publicKey().toByteString())
        .setNonce(nonce)
        .setModule("bank")
        .setMessageType("Transfer")
        .setPayload(
            Transfer.newBuilder()
                .setTo(to.toByteString())
                .setAmount(amount)
                .build()
                .toByteString());
  }

  public static SignedTransaction transfer(
      String chainId, Ed25519KeyPair from, long nonce, Address to, long amount) {
    return TransactionCodec.sign(body(chainId, from, nonce, to, amount).build(), from);
  }
}
