package org.fedledger.learning.aggregate;

/**
 * When a participant's summed evidence is too low for an honest owner, with the false-alarm
 * probability P counted over every round it will ever take part in.
 *
 * <p>An honest owner's standardized component in a round is its signal's component (assumed not
 * negative: see {@link DpEvidence}) plus a standard normal, independent from round to round, so
 * after R rounds its sum S is at least a normal of variance R. The bound after R rounds is S &lt;
 * −t_R·√R with P(Z &gt; t_R) ≤ P/(R(R+1)); these chances sum to P over R = 1, 2, ..., so an honest
 * owner crosses the bound in any round with probability at most P, however long the job. t_R comes
 * from Mills' ratio, P(Z &gt; t) ≤ φ(t)/t for every t &gt; 0, solved by a fixed number of
 * fixed-point steps in {@link StrictMath}, so every machine gets the same bits.
 */
final class EvidenceBound {
  private static final double SQRT_TWO_PI = StrictMath.sqrt(2 * StrictMath.PI);
  private static final int ITERATIONS = 40;

  private EvidenceBound() {}

  /**
   * The bound on the sum of R rounds' standardized components: an honest owner's sum is below it in
   * some round with probability at most P.
   *
   * @param rounds R ≥ 1
   * @param falseAlarm P in (0, 0.5]
   */
  static double sumBound(int rounds, double falseAlarm) {
    double r = rounds;
    return -tail(falseAlarm / (r * (r + 1))) * StrictMath.sqrt(r);
  }

  /** A t with φ(t)/t = alpha, so that P(Z &gt; t) ≤ alpha; alpha in (0, 0.25]. */
  static double tail(double alpha) {
    // t = sqrt(2 ln(1 / (alpha t sqrt(2 pi)))) is a contraction for alpha <= 0.25 from t = 1.
    double t = 1;
    for (int i = 0; i < ITERATIONS; i++) {
      t = StrictMath.sqrt(2 * StrictMath.log(1 / (alpha * t * SQRT_TWO_PI)));
    }
    return t;
  }
}
