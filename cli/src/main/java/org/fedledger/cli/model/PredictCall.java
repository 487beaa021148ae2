package org.fedledger.cli.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.fedledger.cli.CommandFailedException;
import org.fedledger.cli.channel.ChannelPayer;
import org.fedledger.cli.client.NodeClient;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.node.blob.SignedRequest;
import org.fedledger.node.serve.PredictHandler;
import org.fedledger.node.serve.Receipts;

/**
 * One call to a provider's {@code POST /v1/models/{id}/predict}: paid with the next voucher of a
 * channel ({@link ChannelPayer}), or signed by the model's owner. A refused voucher is forgotten
 * (the provider changed nothing either); while the provider is claiming the channel (503 CLAIMING)
 * the call waits and pays again under the nonce the claim moved to. An answer's receipt is checked:
 * the provider's signature over this request's hash and, for a paid call, over the voucher's
 * channel, nonce and amount.
 */
public final class PredictCall {
  private static final int CLAIMING_RETRIES = 40;
  private static final long CLAIMING_WAIT_MILLIS = 250;

  private final NodeClient provider;
  private final String path;
  private final byte[] body;
  private final ChannelPayer payer;
  private final Hash channel;
  private final String modelId;
  private final Map<String, String> ownerHeaders;

  /**
   * What the provider said: the answer (null if refused), or the refusal's reason.
   *
   * @param badInput true if the provider refused the rows themselves (HTTP 400)
   * @param receiptProblem why the receipt does not verify; null if it does
   * @param stateFile the channel's state file; null for the owner's call
   */
  public record Outcome(
      JsonNode answer, String refusal, boolean badInput, String receiptProblem, Path stateFile) {
    public boolean receiptValid() {
      return answer != null && receiptProblem == null;
    }
  }

  private PredictCall(
      NodeClient provider,
      String modelId,
      byte[] body,
      ChannelPayer payer,
      Hash channel,
      Map<String, String> ownerHeaders) {
    this.provider = provider;
    this.modelId = modelId;
    this.path = "/v1/models/" + modelId + "/predict";
    this.body = body.clone();
    this.payer = payer;
    this.channel = channel;
    this.ownerHeaders = ownerHeaders;
  }

  /** A call paid through channel; body is the request's JSON. */
  public static PredictCall paid(
      NodeClient provider, String modelId, byte[] body, ChannelPayer payer, Hash channel) {
    return new PredictCall(provider, modelId, body, payer, channel, null);
  }

  /** The owner's unpaid call, signed with its key. */
  public static PredictCall byOwner(
      NodeClient provider, String modelId, byte[] body, Ed25519KeyPair owner, Clock clock) {
    Map<String, String> headers =
        SignedRequest.sign(
            owner, "POST", "/v1/models/" + modelId + "/predict", Sha256.hash(body).toHex(), clock);
    return new PredictCall(provider, modelId, body, null, null, headers);
  }

  public Outcome send() throws IOException, InterruptedException {
    if (payer == null) {
      NodeClient.Answer a = provider.postJson(path, body, ownerHeaders);
      return a.status() == 200 ? answered(a.body(), Hash.ZERO, 0, 0, null) : refused(a, null);
    }
    for (int attempt = 0; ; attempt++) {
      ChannelPayer.Payment payment = payer.next(channel, modelId);
      NodeClient.Answer a;
      try {
        a =
            provider.postJson(
                path, body, Map.of(PredictHandler.VOUCHER_HEADER, payment.voucherBase64()));
      } catch (CommandFailedException e) {
        throw new CommandFailedException(
            e.getMessage()
                + ". The voucher for "
                + payment.after().amount()
                + " under nonce "
                + payment.after().nonce()
                + " may have reached the provider, so "
                + payment.stateFile()
                + " counts it as signed");
      }
      if (a.status() == 200) {
        return answered(
            a.body(),
            channel,
            payment.after().nonce(),
            payment.after().amount(),
            payment.stateFile());
      }
      payer.undo(payment);
      boolean claiming =
          a.status() == 503 && a.body().path("error").path("code").asText().equals("CLAIMING");
      if (!claiming || attempt >= CLAIMING_RETRIES) {
        return refused(a, payment.stateFile());
      }
      Thread.sleep(CLAIMING_WAIT_MILLIS);
    }
  }

  private Outcome answered(JsonNode answer, Hash channelId, long nonce, long amount, Path state) {
    return new Outcome(
        answer, null, false, receiptProblem(answer, channelId, nonce, amount), state);
  }

  private String receiptProblem(JsonNode answer, Hash channelId, long nonce, long amount) {
    Receipts.Receipt r;
    try {
      r = NodeClient.JSON.treeToValue(answer.path("receipt"), Receipts.Receipt.class);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      return "the answer carries no readable receipt";
    }
    if (r == null || !Receipts.verify(r)) {
      return "its signature does not verify under its provider key";
    }
    if (!r.requestHash().equals(Sha256.hash(body).toHex())) {
      return "it is for another request (hash " + r.requestHash() + ")";
    }
    if (!r.channelId().equals(channelId.toHex()) || r.nonce() != nonce || r.amount() != amount) {
      return "it acknowledges channel "
          + r.channelId()
          + " nonce "
          + r.nonce()
          + " amount "
          + r.amount()
          + ", not the voucher sent";
    }
    return null;
  }

  private static Outcome refused(NodeClient.Answer a, Path state) {
    JsonNode error = a.body().path("error");
    String reason =
        "the provider refused the call (HTTP "
            + a.status()
            + ", "
            + error.path("code").asText("?")
            + "): "
            + error.path("message").asText(a.body().toString());
    if (error.path("code").asText().equals("WRONG_AMOUNT") && state != null) {
      reason +=
          ". The provider counts calls on this channel differently from "
              + state
              + " (lost, copied or edited?); nothing was paid for this call";
    }
    return new Outcome(null, reason, a.status() == 400, null, state);
  }
}
