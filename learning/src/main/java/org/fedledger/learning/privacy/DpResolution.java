package org.fedledger.learning.privacy;

/**
 * A resolved {@link DpPlan}: what each owner trains with and what it costs every owner's records.
 *
 * @param config the DP-SGD parameters of one round
 * @param epsilonMicros ε after all rounds, in millionths, rounded up (the accountant's)
 * @param deltaPerTrillion δ in parts per trillion
 * @param totalSteps the steps accounted: rounds × steps per round
 */
public record DpResolution(
    DpConfig config, long epsilonMicros, long deltaPerTrillion, long totalSteps) {
  public double epsilon() {
    return epsilonMicros / 1e6;
  }

  public double delta() {
    return deltaPerTrillion / 1e12;
  }

  /** One line for people: "ε = 2.91, δ = 1e-05 after 4000 steps (σ = 1.1, C = 1, q = 0.005)". */
  public String describe() {
    return String.format(
        java.util.Locale.ROOT,
        "(ε = %.3f, δ = %.3g)-DP for every record, after %d steps (σ = %.4f, C = %.3g, q = %.4g,"
            + " %d steps per round)",
        epsilon(),
        delta(),
        totalSteps,
        config.noiseMultiplier(),
        config.clipNorm(),
        config.sampleRate(),
        config.steps());
  }
}
