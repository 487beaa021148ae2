package org.fedledger.cli.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.fedledger.cli.CommandFailedException;
import org.fedledger.cli.client.NodeClient;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.TxBody;
import org.fedledger.core.proto.bank.Transfer;
import org.fedledger.core.tx.TransactionCodec;
import org.fedledger.node.keys.KeyFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "transfer",
    mixinStandardHelpOptions = true,
    description = {
      "Sign and send a bank transfer. The chain id and, unless --nonce is given, the sender's"
          + " nonce are read from the node.",
      "Prints the transaction hash; with --wait, waits until it is in a block and prints the"
          + " receipt."
    })
public final class TransferCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin NodeOption node;

  @Option(names = "--key", required = true, description = "Sender's key file.")
  Path key;

  @Option(names = "--to", required = true, description = "Recipient address, 40 hex digits.")
  String to;

  @Option(names = "--amount", required = true, description = "Tokens to send, at least 1.")
  long amount;

  @Option(names = "--nonce", description = "Sender nonce (default: the account's next nonce).")
  Long nonce;

  @Option(names = "--memo", defaultValue = "", description = "Free text, at most 256 bytes.")
  String memo;

  @Option(names = "--wait", description = "Wait until the transaction is committed.")
  boolean waitForCommit;

  @Option(
      names = "--timeout",
      defaultValue = "30",
      description = "Seconds to wait with --wait (default: 30).")
  int timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    Address recipient;
    try {
      recipient = Address.fromHex(to);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--to: " + e.getMessage());
    }
    if (amount < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--amount must be at least 1");
    }
    Ed25519KeyPair sender = KeyFile.load(key);
    NodeClient client = node.client();
    String chainId = client.require("/v1/status", "status").path("chainId").asText();
    long useNonce =
        nonce != null
            ? nonce
            : client
                .get("/v1/accounts/" + sender.publicKey().address().toHex())
                .map(a -> a.path("nonce").asLong())
                .orElse(0L);
    TxBody body =
        TxBody.newBuilder()
            .setChainId(chainId)
            .setSenderPublicKey(sender.publicKey().toByteString())
            .setNonce(useNonce)
            .setModule("bank")
            .setMessageType("Transfer")
            .setPayload(
                Transfer.newBuilder()
                    .setTo(recipient.toByteString())
                    .setAmount(amount)
                    .build()
                    .toByteString())
            .setMemo(memo)
            .build();
    SignedTransaction tx = TransactionCodec.sign(body, sender);
    JsonNode accepted = client.postBytes("/v1/transactions", tx.toByteArray());
    String hash = accepted.path("hash").asText();
    JsonNode result = accepted;
    if (waitForCommit) {
      result = waitFor(client, hash, Duration.ofSeconds(timeoutSeconds));
    }
    ObjectNode out = NodeClient.JSON.createObjectNode();
    out.put("hash", hash);
    out.put("from", sender.publicKey().address().toHex());
    out.put("to", recipient.toHex());
    out.put("amount", amount);
    out.put("nonce", useNonce);
    out.set(waitForCommit ? "committed" : "submitted", result);
    spec.commandLine().getOut().println(NodeClient.pretty(out));
    spec.commandLine().getOut().flush();
    return 0;
  }

  private static JsonNode waitFor(NodeClient client, String hash, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<JsonNode> tx = client.get("/v1/transactions/" + hash);
      if (tx.isPresent()) {
        return tx.get();
      }
      Thread.sleep(100);
    }
    throw new CommandFailedException(
        "transaction "
            + hash
            + " was accepted but not committed within "
            + timeout.toSeconds()
            + "s; check later with `fedledger tx "
            + hash
            + "`");
  }
}
