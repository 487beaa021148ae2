package org.fedledger.cli.channel;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import org.fedledger.cli.CommandFailedException;
import org.fedledger.cli.client.NodeClient;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.market.Vouchers;
import org.fedledger.core.proto.market.Voucher;

/**
 * Pays for calls through a channel, one signed voucher per call: each voucher carries the channel's
 * current nonce and the cumulative amount signed so far under it plus the channel's price. What was
 * signed is kept in the channel's {@link ChannelState} file, written before the voucher leaves, so
 * that repeated invocations continue the sequence and no amount is ever signed twice.
 *
 * <p>The chain is read before each voucher. A claim that reopened the channel moves its nonce on;
 * vouchers then start again from 0 under the new nonce. A state file that cannot belong to the
 * channel as the chain shows it (another chain, another client key, a nonce the chain has not
 * reached, more signed than the deposit held) is refused with what to do, and nothing is signed.
 */
public final class ChannelPayer {
  private final NodeClient chain;
  private final Path stateDir;
  private final Ed25519KeyPair client;

  /** A signed voucher for one call, with the state before and after it. */
  public record Payment(
      Hash channelId,
      Optional<ChannelState> before,
      ChannelState after,
      long price,
      String voucherBase64,
      Path stateFile) {}

  /**
   * @param chain a node of the channel's chain
   * @param stateDir where the channels' state files are, one per channel
   * @param client the channel's client key
   */
  public ChannelPayer(NodeClient chain, Path stateDir, Ed25519KeyPair client) {
    this.chain = chain;
    this.stateDir = stateDir;
    this.client = client;
  }

  /** The default directory of state files: {@code ~/.fedledger/channels}. */
  public static Path defaultStateDir() {
    return Path.of(System.getProperty("user.home"), ".fedledger", "channels");
  }

  public Path stateFile(Hash channelId) {
    return stateDir.resolve(channelId.toHex() + ".json");
  }

  /**
   * Signs the voucher for the next call to modelId and records it as signed.
   *
   * @throws CommandFailedException with what to do, if the channel cannot pay for the call or the
   *     state file disagrees with the chain; nothing is signed or written then
   */
  public Payment next(Hash channelId, String modelId) throws IOException {
    JsonNode channel = Channels.fetch(chain, channelId);
    JsonNode status = chain.require("/v1/status", "node status");
    String chainId = status.path("chainId").asText();
    String id = channelId.toHex();
    if (!channel.path("status").asText().equals("CHANNEL_OPEN")) {
      throw new CommandFailedException(
          "channel "
              + id
              + " is closed (claimed without reopen, or refunded); open a new one with `fedledger"
              + " channel open`");
    }
    if (!channel.path("modelId").asText().equals(modelId)) {
      throw new CommandFailedException(
          "channel "
              + id
              + " pays for model "
              + channel.path("modelId").asText()
              + ", not "
              + modelId
              + "; use a channel opened for this model");
    }
    String key = client.publicKey().toHex();
    if (!channel.path("clientPublicKey").asText().equals(key)) {
      throw new CommandFailedException(
          "--key is not the client key of channel "
              + id
              + " ("
              + channel.path("clientPublicKey").asText()
              + "); sign with the key that opened it");
    }
    long height = status.path("height").asLong();
    long expiry = channel.path("expiryHeight").asLong();
    if (height >= expiry) {
      throw new CommandFailedException(
          "channel "
              + id
              + " expires at height "
              + expiry
              + " (now "
              + height
              + "): no provider takes its vouchers; after expiry take the rest back with"
              + " `fedledger channel close`");
    }
    long nonce = channel.path("nonce").asLong();
    long deposit = channel.path("deposit").asLong();
    long price = channel.path("pricePerCall").asLong();
    Path file = stateFile(channelId);
    Optional<ChannelState> before = ChannelState.read(file);
    long signed = before.isPresent() ? signedSoFar(before.get(), file, chainId, id, nonce) : 0;
    if (signed > deposit) {
      throw disagree(
          file,
          "it counts "
              + signed
              + " signed under nonce "
              + nonce
              + ", more than the channel's deposit of "
              + deposit);
    }
    long amount = signed + price;
    if (amount > deposit) {
      throw new CommandFailedException(
          "channel "
              + id
              + " has "
              + (deposit - signed)
              + " of its deposit "
              + deposit
              + " left (signed "
              + signed
              + " under nonce "
              + nonce
              + "), less than the price "
              + price
              + " of a call; add funds with `fedledger channel add-funds --channel "
              + id
              + " --amount N`");
    }
    ChannelState after = new ChannelState(chainId, id, key, nonce, amount);
    String voucher =
        Base64.getEncoder()
            .encodeToString(
                Vouchers.sign(
                        client,
                        Voucher.newBuilder()
                            .setChainId(chainId)
                            .setChannelId(channelId.toByteString())
                            .setNonce(nonce)
                            .setAmount(amount)
                            .build())
                    .toByteArray());
    // Recorded before the voucher leaves: if the call's fate is unknown (no answer), the amount
    // counts as signed, so the same amount is never signed for a second call.
    after.write(file);
    return new Payment(channelId, before, after, price, voucher, file);
  }

  /** Forgets a payment the provider refused (a refusal changes nothing on its side either). */
  public void undo(Payment payment) throws IOException {
    if (payment.before().isPresent()) {
      payment.before().get().write(payment.stateFile());
    } else {
      Files.deleteIfExists(payment.stateFile());
    }
  }

  /** What the state says is signed under the chain's current nonce, after checking it fits. */
  private long signedSoFar(
      ChannelState state, Path file, String chainId, String channelId, long chainNonce) {
    if (!state.chainId().equals(chainId)) {
      throw disagree(
          file, "it is for chain '" + state.chainId() + "', the node is on '" + chainId + "'");
    }
    if (!state.channelId().equals(channelId)) {
      throw disagree(file, "it is for channel " + state.channelId());
    }
    if (!state.clientKey().equals(client.publicKey().toHex())) {
      throw disagree(file, "it was signed with another key (" + state.clientKey() + ")");
    }
    if (state.nonce() > chainNonce) {
      throw disagree(
          file,
          "it has signed under nonce "
              + state.nonce()
              + " but the chain's channel is at nonce "
              + chainNonce);
    }
    // A claim with reopen moved the nonce on: vouchers start again from 0 under the new one.
    return state.nonce() == chainNonce ? state.amount() : 0;
  }

  private static CommandFailedException disagree(Path file, String why) {
    return new CommandFailedException(
        "the channel state file "
            + file
            + " disagrees with the chain: "
            + why
            + ". Nothing was signed. Check --node and --channel; if the file belongs to another"
            + " network, move it away (or pass another --state-dir) and call again");
  }
}
