package org.fedledger.cli.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import org.fedledger.core.privacy.RdpAccountant;
import org.fedledger.core.proto.training.DpParams;
import org.fedledger.learning.privacy.DpDefaults;
import org.fedledger.ledger.registry.PrivacyAccounts;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The DP-SGD options of {@code job create}: either a target {@code --dp-epsilon} (the noise
 * multiplier is derived with core's accountant, the one the chain prices the job with) or an
 * explicit {@code --dp-noise}; the clip norm, sampling rate, steps per round and delta have
 * defaults. Values are checked against the chain's limits before anything is signed.
 */
public final class DpOptions {
  static final double DEFAULT_CLIP = DpDefaults.CLIP_NORM;
  static final double DEFAULT_SAMPLE_RATE = 0.01;
  static final long DEFAULT_STEPS = 100;
  static final double DEFAULT_DELTA = 1e-5;

  @Option(
      names = "--dp-epsilon",
      paramLabel = "E",
      description =
          "Train with DP-SGD so that each dataset spends at most epsilon E (0-100] after all"
              + " rounds; the noise multiplier is derived from it.")
  Double epsilon;

  @Option(
      names = "--dp-noise",
      paramLabel = "SIGMA",
      description = "Train with DP-SGD at this noise multiplier instead of deriving it.")
  Double noise;

  @Option(
      names = "--dp-delta",
      paramLabel = "D",
      description = "The delta of the guarantee, (0, 0.01] (default: 1e-5).")
  Double delta;

  @Option(
      names = "--dp-clip",
      paramLabel = "C",
      description = "Per-example gradient clip norm (default: " + DEFAULT_CLIP + ").")
  Double clip;

  @Option(
      names = "--dp-sample-rate",
      paramLabel = "Q",
      description =
          "Poisson sampling rate: each record is in a batch with this probability, (0, 1]"
              + " (default: 0.01, batches of 1 % of an owner's data).")
  Double sampleRate;

  @Option(
      names = "--dp-steps",
      paramLabel = "S",
      description = "DP-SGD steps per participant per round (default: 100).")
  Long steps;

  /** The job's DP parameters, or empty when no --dp-epsilon or --dp-noise was given. */
  Optional<DpParams> params(CommandSpec spec, long rounds) {
    boolean any = delta != null || clip != null || sampleRate != null || steps != null;
    if (epsilon == null && noise == null) {
      check(
          spec,
          !any,
          "--dp-delta, --dp-clip, --dp-sample-rate and --dp-steps need --dp-epsilon or --dp-noise");
      return Optional.empty();
    }
    check(spec, epsilon == null || noise == null, "give --dp-epsilon or --dp-noise, not both");
    double d = delta == null ? DEFAULT_DELTA : delta;
    double c = clip == null ? DEFAULT_CLIP : clip;
    double q = sampleRate == null ? DEFAULT_SAMPLE_RATE : sampleRate;
    long s = steps == null ? DEFAULT_STEPS : steps;
    long deltaPerTrillion = Math.round(d * 1e12);
    check(
        spec,
        d > 0
            && deltaPerTrillion >= 1
            && deltaPerTrillion <= PrivacyAccounts.MAX_DELTA_PER_TRILLION,
        "--dp-delta must be in (0, 0.01], got " + d);
    long clipMicros = Math.round(c * 1e6);
    check(spec, c > 0 && clipMicros >= 1 && c <= 1000, "--dp-clip must be in (0, 1000], got " + c);
    long ratePpm = Math.round(q * 1e6);
    check(
        spec,
        q > 0 && ratePpm >= 1 && ratePpm <= 1_000_000,
        "--dp-sample-rate must be in (0, 1], got " + q);
    check(spec, s >= 1 && s <= 100_000, "--dp-steps must be 1-100000, got " + s);
    long noiseMicros;
    try {
      if (epsilon != null) {
        long epsilonMicros = Math.round(epsilon * 1e6);
        check(
            spec,
            epsilon > 0
                && epsilonMicros >= 1
                && epsilonMicros <= PrivacyAccounts.MAX_EPSILON_MICROS,
            "--dp-epsilon must be in (0, 100], got " + epsilon);
        noiseMicros =
            RdpAccountant.noiseMultiplierMicrosFor(
                epsilonMicros, deltaPerTrillion, ratePpm, Math.multiplyExact(rounds, s));
      } else {
        noiseMicros = Math.round(noise * 1e6);
        check(spec, noise > 0 && noiseMicros >= 1, "--dp-noise must be above 0, got " + noise);
        // Refused here as the chain would refuse it, with the accountant's reason.
        RdpAccountant.sampledGaussian(noiseMicros, ratePpm);
      }
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "the privacy accountant refuses these DP options: " + e.getMessage());
    }
    return Optional.of(
        DpParams.newBuilder()
            .setClipNormMicros(clipMicros)
            .setNoiseMultiplierMicros(noiseMicros)
            .setSampleRatePpm(ratePpm)
            .setLocalSteps(s)
            .setDeltaPerTrillion(deltaPerTrillion)
            .build());
  }

  /** What job create prints: the parameters and the epsilon the chain will reserve. */
  static ObjectNode describe(DpParams p, long rounds, ObjectNode out) {
    long epsilon =
        RdpAccountant.sampledGaussian(p.getNoiseMultiplierMicros(), p.getSampleRatePpm())
            .epsilonMicros(rounds * p.getLocalSteps(), p.getDeltaPerTrillion());
    out.put("epsilon", PrivacyAccounts.epsilon(epsilon));
    out.put("delta", PrivacyAccounts.delta(p.getDeltaPerTrillion()));
    out.put("noiseMultiplier", p.getNoiseMultiplierMicros() / 1e6);
    out.put("clipNorm", p.getClipNormMicros() / 1e6);
    out.put("sampleRate", p.getSampleRatePpm() / 1e6);
    out.put("stepsPerRound", p.getLocalSteps());
    return out;
  }

  private static void check(CommandSpec spec, boolean ok, String message) {
    if (!ok) {
      throw new CommandLine.ParameterException(spec.commandLine(), message);
    }
  }
}
