package org.fedledger.cli.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Message;
import java.time.Duration;
import java.util.Optional;
import org.fedledger.cli.CommandFailedException;
import org.fedledger.cli.client.NodeClient;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.TxBody;
import org.fedledger.core.tx.TransactionCodec;

/**
 * Signs a module message with the sender's key, submits it to a node and waits until it is in a
 * block; a refused or failed transaction is a {@link CommandFailedException} naming the reason.
 */
public final class ChainTx {
  private final NodeClient client;
  private final Ed25519KeyPair sender;

  public ChainTx(NodeClient client, Ed25519KeyPair sender) {
    this.client = client;
    this.sender = sender;
  }

  /**
   * @return the committed transaction as the node reports it (its {@code hash} included)
   */
  public JsonNode submitAndWait(String module, String type, Message payload, Duration timeout)
      throws InterruptedException {
    String chainId = client.require("/v1/status", "node status").path("chainId").asText();
    long nonce =
        client
            .get("/v1/accounts/" + sender.publicKey().address().toHex())
            .map(a -> a.path("nonce").asLong())
            .orElse(0L);
    TxBody body =
        TxBody.newBuilder()
            .setChainId(chainId)
            .setSenderPublicKey(sender.publicKey().toByteString())
            .setNonce(nonce)
            .setModule(module)
            .setMessageType(type)
            .setPayload(payload.toByteString())
            .build();
    SignedTransaction tx = TransactionCodec.sign(body, sender);
    String hash = client.postBytes("/v1/transactions", tx.toByteArray()).path("hash").asText();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<JsonNode> committed = client.get("/v1/transactions/" + hash);
      if (committed.isPresent()) {
        checkReceipt(type, hash, committed.get());
        return committed.get();
      }
      Thread.sleep(100);
    }
    throw new CommandFailedException(
        type
            + " "
            + hash
            + " was accepted but not committed within "
            + timeout.toSeconds()
            + "s; check later with `fedledger tx "
            + hash
            + "`");
  }

  private static void checkReceipt(String type, String hash, JsonNode tx) {
    JsonNode receipt = tx.path("receipt");
    String error = receipt.path("error").isTextual() ? receipt.path("error").asText() : "";
    if (!error.isEmpty() || receipt.path("status").asText("").contains("FAIL")) {
      throw new CommandFailedException(
          type + " " + hash + " was committed but failed: " + (error.isEmpty() ? receipt : error));
    }
  }
}
