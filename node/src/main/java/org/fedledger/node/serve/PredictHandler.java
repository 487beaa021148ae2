package org.fedledger.node.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.fedledger.core.crypto.Ed25519PublicKey;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.node.api.ApiException;
import org.fedledger.node.api.RequestBody;
import org.fedledger.node.blob.BlobException;
import org.fedledger.node.blob.SignedRequest;

/**
 * {@code POST /v1/models/{id}/predict}: reads the rows (400 if they do not fit the model), takes
 * payment (a voucher in the {@value #VOUCHER_HEADER} header or the body's {@code "voucher"}, or the
 * model owner's signed request; else 402), queues the rows for the batcher and answers the
 * predictions with the provider's signed receipt. Order matters: a refused call changes nothing,
 * and a paid call's voucher is saved before the answer leaves.
 */
public final class PredictHandler {
  public static final String VOUCHER_HEADER = "X-Fedledger-Voucher";

  private final Serving serving;
  private final ObjectMapper json;

  public PredictHandler(Serving serving, ObjectMapper json) {
    this.serving = serving;
    this.json = json;
  }

  /**
   * One prediction: a class with its probabilities, or regression values (absent fields left out).
   */
  @com.fasterxml.jackson.annotation.JsonInclude(
      com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  public record Prediction(Integer label, float[] probabilities, float[] values) {}

  public record Answer(String model, List<Prediction> predictions, Receipts.Receipt receipt) {}

  public void handle(Context ctx) throws IOException {
    long start = System.nanoTime();
    String modelId = ctx.pathParam("id");
    byte[] body = RequestBody.bytes(ctx);
    Hash requestHash = Sha256.hash(body);
    // The model first, since its decoder reads the rows; its refusal waits until the body is known
    // to be a JSON object, as before, when the body was read as a tree ahead of the model.
    Serving.Model model = null;
    ApiException unavailable = null;
    try {
      model = serving.model(modelId);
    } catch (IllegalArgumentException e) {
      unavailable = ApiException.notFound(e.getMessage());
    } catch (IllegalStateException e) {
      unavailable = new ApiException(503, "MODEL_UNAVAILABLE", e.getMessage());
    } catch (BlobException e) {
      unavailable =
          new ApiException(
              503, "MODEL_UNAVAILABLE", "cannot load model " + modelId + ": " + e.getMessage());
    }
    PredictBody request;
    try {
      request = PredictBody.read(json, body, model == null ? null : model.inputs());
    } catch (IOException e) {
      throw refused(ApiException.badRequest("the body is not JSON: " + e.getMessage()));
    } catch (IllegalArgumentException e) {
      throw refused(ApiException.badRequest(e.getMessage()));
    }
    if (unavailable != null) {
      throw refused(unavailable);
    }
    if (request.refusal() != null) {
      throw refused(ApiException.badRequest(request.refusal()));
    }
    float[] inputs = request.inputs();
    int rows = request.rows();
    String voucher = ctx.header(VOUCHER_HEADER);
    if (voucher == null) {
      voucher = request.voucher();
    }
    if (voucher == null) {
      String payment;
      if (!serving.requirePayment()) {
        payment = "free";
      } else {
        checkOwner(ctx, model, requestHash);
        payment = "owner";
      }
      answer(ctx, model, inputs, rows, requestHash, null);
      serving.metrics().answered(payment, Duration.ofNanos(System.nanoTime() - start));
      return;
    }
    try (PaymentGate.Payment paid = pay(modelId, voucher)) {
      answer(ctx, model, inputs, rows, requestHash, paid);
    }
    serving.metrics().answered("paid", Duration.ofNanos(System.nanoTime() - start));
  }

  private PaymentGate.Payment pay(String modelId, String voucher) throws IOException {
    try {
      return serving.gate().begin(modelId, voucher);
    } catch (PaymentRefusedException e) {
      serving.metrics().refused(e.code());
      throw e;
    }
  }

  /**
   * Runs the rows through the model and sets the answer with its receipt. A paid call's voucher is
   * being synced meanwhile: the answer is set only once it is on disk, so that the sync and the
   * computing of the answer overlap and nothing leaves before the voucher is saved.
   */
  private void answer(
      Context ctx,
      Serving.Model model,
      float[] inputs,
      int rows,
      Hash requestHash,
      PaymentGate.Payment paid)
      throws IOException {
    CompletableFuture<float[]> forward = model.batcher().submit(inputs, rows);
    Receipts.Receipt receipt =
        paid == null
            ? Receipts.sign(serving.key(), requestHash, Hash.ZERO, 0, 0)
            : Receipts.sign(
                serving.key(),
                requestHash,
                paid.accepted().channelId(),
                paid.accepted().nonce(),
                paid.accepted().amount());
    float[] outputs;
    try {
      // Untimed: the batcher completes every request it queued (PredictionBatcher), and a timed
      // wait would cost each call two wake-ups of the JDK's timer thread for virtual threads.
      outputs = forward.get();
    } catch (ExecutionException e) {
      throw new ApiException(503, "INFERENCE_FAILED", "inference failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "INFERENCE_FAILED", "interrupted");
    }
    byte[] body =
        json.writeValueAsBytes(new Answer(model.id(), predictions(model, outputs, rows), receipt));
    if (paid != null) {
      paid.awaitSaved();
    }
    // Written straight to the response: a result() would be copied out through a fresh 32 KiB
    // buffer per call.
    ctx.contentType(ContentType.APPLICATION_JSON);
    ctx.outputStream().write(body);
  }

  // Without a voucher only the model's owner may call: a request signed with its key.
  private void checkOwner(Context ctx, Serving.Model model, Hash requestHash) {
    if (ctx.header(SignedRequest.SIGNATURE) == null) {
      serving.metrics().refused("PAYMENT_REQUIRED");
      throw new PaymentRefusedException(
          402,
          "PAYMENT_REQUIRED",
          "a call needs a voucher of a channel for model "
              + model.id()
              + " (header "
              + VOUCHER_HEADER
              + "), or the model owner's signature",
          -1);
    }
    Ed25519PublicKey signer;
    try {
      signer = serving.ownerCalls().verify(ctx::header, "POST", ctx.path(), requestHash.toHex());
    } catch (SignedRequest.RefusedException e) {
      serving.metrics().refused("BAD_OWNER_SIGNATURE");
      throw new PaymentRefusedException(403, "BAD_OWNER_SIGNATURE", e.getMessage(), -1);
    }
    if (!signer.address().equals(model.owner())) {
      serving.metrics().refused("NOT_OWNER");
      throw new PaymentRefusedException(
          403,
          "NOT_OWNER",
          "only the model's owner "
              + model.owner()
              + " calls without a voucher; "
              + signer.address()
              + " must open a channel",
          -1);
    }
  }

  private ApiException refused(ApiException e) {
    serving.metrics().refused(e.code());
    return e;
  }

  private static List<Prediction> predictions(Serving.Model model, float[] outputs, int rows) {
    int width = model.batcher().model().outputSize();
    boolean regression = model.batcher().model().spec().isRegression();
    List<Prediction> out = new ArrayList<>(rows);
    for (int r = 0; r < rows; r++) {
      float[] row = new float[width];
      System.arraycopy(outputs, r * width, row, 0, width);
      out.add(regression ? new Prediction(null, null, row) : classify(row));
    }
    return out;
  }

  // Softmax of the logits, and the arg-max (ties to the lower class, as the metrics count them).
  private static Prediction classify(float[] logits) {
    int best = 0;
    float max = logits[0];
    for (int k = 1; k < logits.length; k++) {
      if (logits[k] > max) {
        max = logits[k];
        best = k;
      }
    }
    double sum = 0;
    double[] e = new double[logits.length];
    for (int k = 0; k < logits.length; k++) {
      e[k] = Math.exp(logits[k] - max);
      sum += e[k];
    }
    float[] p = new float[logits.length];
    for (int k = 0; k < logits.length; k++) {
      p[k] = (float) (e[k] / sum);
    }
    return new Prediction(best, p, null);
  }

  /** The error body of a refused payment: code, reason, and the channel's nonce when known. */
  public static Map<String, Object> errorBody(PaymentRefusedException e) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", e.code());
    error.put("message", e.getMessage());
    if (e.channelNonce() >= 0) {
      error.put("channelNonce", e.channelNonce());
    }
    return Map.of("error", error);
  }
}
