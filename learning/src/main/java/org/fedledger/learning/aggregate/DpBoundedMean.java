package org.fedledger.learning.aggregate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fedledger.learning.tensor.NamedTensor;
import org.fedledger.learning.tensor.Weights;

/**
 * A robust mean for DP-SGD updates: it bounds each update by what an honest one can be ({@link
 * DpEnvelope}), instead of by how far it lies from the others, which DP noise makes meaningless.
 *
 * <ol>
 *   <li>An update longer than the envelope's norm bound (noise plus the most signal clipping lets
 *       through) is rejected with the reason: an honest owner exceeds it with probability at most
 *       p.
 *   <li>The reference direction r is the coordinate-wise median of the remaining updates. Each
 *       update's component along r is clamped to ±B, the most signal an honest owner's update can
 *       carry: noise adds only τ in any one direction, so along r no update pulls harder than the
 *       hardest honest push.
 *   <li>The clamped updates are averaged weighted by sample count. A count is a claim, but the
 *       envelope scales an update's bounds as 1/n, so a weight of n makes every owner's greatest
 *       pull the same whatever it claims; unweighted, a claim of 1 record (the chain accepts any
 *       claim from 1 to the registered count) was allowed an update hundreds of times longer than
 *       an honest owner's, at full weight (`DpEvidenceTest`).
 *   <li>Twice more, r becomes that mean and the original updates are clamped along it and averaged
 *       again: a pull that several updates share dominates the mean's direction, so it is clamped
 *       even when the median, which DP noise blurs, points elsewhere.
 * </ol>
 *
 * <p>What it does not bound: an update may spend its noise budget (about τ·√d of norm) on a
 * direction other than r; see BENCHMARKS.md "Differential privacy". Deterministic: norms and
 * projections are {@link VectorMath} reductions, each coordinate is computed in double and rounded
 * once, and the mean adds the updates in client-id order.
 */
public final class DpBoundedMean implements Combiner {
  /** The default p, about one honest update in a million rejected. */
  public static final double DEFAULT_FALSE_REJECT = 1e-6;

  /** Clamping passes: along the median, then twice along the clamped mean. */
  static final int PASSES = 3;

  private final DpEnvelope envelope;
  private final double falseReject;

  /**
   * @param envelope what the job's DP-SGD makes of an honest update
   * @param falseReject p in (0, 0.5]: the chance that an honest update is rejected
   */
  public DpBoundedMean(DpEnvelope envelope, double falseReject) {
    if (!(falseReject > 0 && falseReject <= 0.5)) {
      throw new IllegalArgumentException(
          "dp-bounded's false-reject probability must be in (0, 0.5], got " + falseReject);
    }
    this.envelope = envelope;
    this.falseReject = falseReject;
  }

  @Override
  public String name() {
    return falseReject == DEFAULT_FALSE_REJECT ? "dp-bounded" : "dp-bounded:" + falseReject;
  }

  /** The updates within the norm bound, and the rest rejected with the reason. */
  record NormCheck(List<ClientUpdate> kept, List<Rejection> rejected) {}

  /** Step 1: rejects each update longer than an honest one can be, with the reason. */
  NormCheck checkNorms(List<ClientUpdate> updates, Parallel parallel) {
    long coordinates = coordinates(updates.get(0).delta());
    double x = DpEnvelope.tailExponent(falseReject);
    List<ClientUpdate> kept = new ArrayList<>(updates.size());
    List<Rejection> rejected = new ArrayList<>();
    for (ClientUpdate u : updates) {
      double norm = VectorMath.norm(u.delta(), parallel);
      double limit = envelope.normBound(u.sampleCount(), coordinates, falseReject);
      if (norm > limit) {
        rejected.add(new Rejection(u.clientId(), tooLong(u, norm, limit, x)));
      } else {
        kept.add(u);
      }
    }
    return new NormCheck(kept, rejected);
  }

  @Override
  public Combined combine(List<ClientUpdate> updates, Parallel parallel) {
    NormCheck check = checkNorms(updates, parallel);
    return new Combined(
        boundedMean(check.kept(), parallel, updates.get(0).delta()), List.of(), check.rejected());
  }

  /**
   * Steps 2 to 4 on updates within the norm bound: the clamped mean, or zeros if there are none.
   */
  Weights boundedMean(List<ClientUpdate> kept, Parallel parallel, Weights shape) {
    return kept.isEmpty() ? VectorMath.zerosLike(shape) : boundedMean(kept, parallel);
  }

  private Weights boundedMean(List<ClientUpdate> kept, Parallel parallel) {
    double x = DpEnvelope.tailExponent(falseReject);
    // The first reference is the median; then the mean of the clamped updates, so that a pull
    // that several updates share, which dominates the mean's direction, gets clamped too.
    Weights reference = new CoordinateMedian().combine(kept, parallel).delta();
    Weights combined = null;
    for (int pass = 0; pass < PASSES; pass++) {
      double referenceNorm = VectorMath.norm(reference, parallel);
      List<ClientUpdate> clamped = new ArrayList<>(kept.size());
      for (ClientUpdate u : kept) {
        clamped.add(
            referenceNorm > 0
                ? clampAlong(
                    u, reference, referenceNorm, envelope.signalBound(u.sampleCount(), x), parallel)
                : u);
      }
      combined = WeightedMean.mean(clamped, parallel);
      reference = combined;
    }
    return combined;
  }

  /** The update with its component along r limited to ±bound; unchanged if already within. */
  private static ClientUpdate clampAlong(
      ClientUpdate u, Weights reference, double referenceNorm, double bound, Parallel parallel) {
    double component = VectorMath.dot(u.delta(), reference, parallel) / referenceNorm;
    if (Math.abs(component) <= bound) {
      return u;
    }
    // u - (c - ±B)·r/|r|: only the component along r changes.
    double factor = (component - Math.copySign(bound, component)) / referenceNorm;
    List<NamedTensor> out = new ArrayList<>(u.delta().tensors().size());
    for (int t = 0; t < u.delta().tensors().size(); t++) {
      NamedTensor tensor = u.delta().tensors().get(t);
      float[] v = tensor.values();
      float[] r = reference.tensors().get(t).values();
      float[] w = new float[v.length];
      for (int k = 0; k < v.length; k++) {
        w[k] = (float) ((double) v[k] - factor * r[k]);
      }
      out.add(new NamedTensor(tensor.name(), tensor.shape().clone(), w));
    }
    return new ClientUpdate(u.clientId(), u.sampleCount(), new Weights(out));
  }

  private String tooLong(ClientUpdate u, double norm, double limit, double x) {
    return String.format(
        Locale.ROOT,
        "update norm %.6g exceeds %.6g, the most a DP-SGD update of %d records can reach under the"
            + " job's parameters (noise %.4g per coordinate, signal at most %.4g) except with"
            + " probability %.2g; train with the job's DP-SGD parameters, learning rate and plain"
            + " SGD",
        norm,
        limit,
        u.sampleCount(),
        envelope.noisePerCoordinate(u.sampleCount()),
        envelope.signalBound(u.sampleCount(), x),
        falseReject);
  }

  private static long coordinates(Weights w) {
    long d = 0;
    for (NamedTensor t : w.tensors()) {
      d += t.size();
    }
    return d;
  }
}
