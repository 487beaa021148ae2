package org.fedledger.learning.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.Test;

class SecureNoiseTest {
  private static final NormalDistribution STANDARD = new NormalDistribution(null, 0, 1);

  @Test
  void noiseHasTheRequestedSpreadAndLiesOnTheGrid() {
    SecureNoise noise = SecureNoise.withFixedKeyForTests(1);
    double granularity = SecureNoise.granularity(1.0, 100_000);
    float[] values = new float[100_000];
    noise.addNoise(values, 2.0, granularity);

    double sum = 0;
    double squares = 0;
    for (float v : values) {
      sum += v;
      squares += (double) v * v;
      assertThat(Math.rint(v / granularity) * granularity).isEqualTo((double) v);
    }
    double mean = sum / values.length;
    double stddev = Math.sqrt(squares / values.length - mean * mean);
    // The mean's standard error is 2/√100000 = 0.0063, the deviation's 0.0045: five of each.
    assertThat(mean).isBetween(-0.032, 0.032);
    assertThat(stddev).isBetween(1.977, 2.023);
  }

  @Test
  void theValueIsRoundedToTheGridBeforeTheNoiseIsAdded() {
    // With noise far below the grid, every draw rounds to 0: what is left is round_γ(x) alone.
    float[] values = {0.3f, -1.7f, 1e-9f};
    SecureNoise.withFixedKeyForTests(2).addNoise(values, 1e-30, 0.25);
    assertThat(values).containsExactly(0.25f, -1.75f, 0f);
  }

  @Test
  void theSamplerIsStandardNormalByKolmogorovSmirnov() {
    SecureNoise noise = SecureNoise.withFixedKeyForTests(3);
    double[] draws = new double[200_000];
    for (int i = 0; i < draws.length; i++) {
      draws[i] = noise.gaussian();
    }
    // A fixed key makes the draws, and so the p-value, the same on every run.
    KolmogorovSmirnovTest ks = new KolmogorovSmirnovTest();
    assertThat(ks.kolmogorovSmirnovTest(STANDARD, draws)).as("KS p-value").isGreaterThan(0.01);
    // The test can tell: the same draws with a 3 % wider spread are refused.
    double[] wide = new double[draws.length];
    for (int i = 0; i < draws.length; i++) {
      wide[i] = draws[i] * 1.03;
    }
    assertThat(ks.kolmogorovSmirnovTest(STANDARD, wide)).as("KS p-value, σ 1.03").isLessThan(1e-4);
  }

  @Test
  void theSamplerFillsEveryBinAsTheNormalDoesIncludingTheTails() {
    // Chi-square over 64 bins of equal normal probability, the two outer ones beyond ±2.42, plus
    // the far tails counted on their own: the ziggurat's base strip, its tail beyond r = 3.654 and
    // its wedges each have their own code path, and each must give the normal's share.
    SecureNoise noise = SecureNoise.withFixedKeyForTests(4);
    int bins = 64;
    int n = 2_000_000;
    long[] counts = new long[bins];
    long beyondR = 0;
    long beyond45 = 0;
    double positive = 0;
    for (int i = 0; i < n; i++) {
      double z = noise.gaussian();
      int bin = (int) Math.min(bins - 1, Math.floor(STANDARD.cumulativeProbability(z) * bins));
      counts[bin]++;
      beyondR += Math.abs(z) > 3.654152885361009 ? 1 : 0;
      beyond45 += Math.abs(z) > 4.5 ? 1 : 0;
      positive += z > 0 ? 1 : 0;
    }
    double expected = (double) n / bins;
    double chiSquare = 0;
    for (long c : counts) {
      chiSquare += (c - expected) * (c - expected) / expected;
    }
    double p = 1 - new ChiSquaredDistribution(null, bins - 1).cumulativeProbability(chiSquare);
    assertThat(p).as("chi-square %.1f over %d bins", chiSquare, bins).isGreaterThan(0.01);
    // Tails: P(|Z| > 3.654) = 2.58e-4 (516 expected), P(|Z| > 4.5) = 6.80e-6 (13.6 expected);
    // bounds at about four standard deviations of a Poisson count.
    double tailR = 2 * (1 - STANDARD.cumulativeProbability(3.654152885361009)) * n;
    assertThat((double) beyondR)
        .isBetween(tailR - 4 * Math.sqrt(tailR), tailR + 4 * Math.sqrt(tailR));
    assertThat(beyond45).isBetween(2L, 30L);
    assertThat(positive / n).isBetween(0.4986, 0.5014);
  }

  @Test
  void theGridAddsAtMostATenThousandthOfTheClipNormToTheSensitivity() {
    double granularity = SecureNoise.granularity(1.5, 1_663_370);
    assertThat(granularity * Math.sqrt(1_663_370))
        .isLessThanOrEqualTo(1.5e-4)
        .isGreaterThan(0.7e-4);
    assertThat(Math.getExponent(granularity))
        .isEqualTo((int) Math.round(Math.log(granularity) / Math.log(2)));
  }

  @Test
  void twoGeneratorsDrawDifferentNoise() {
    float[] a = new float[16];
    float[] b = new float[16];
    SecureNoise.create().addNoise(a, 1.0, 1e-6);
    SecureNoise.create().addNoise(b, 1.0, 1e-6);
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void poissonSamplingTakesEachRecordWithTheGivenRate() {
    SecureNoise noise = SecureNoise.withFixedKeyForTests(5);
    int taken = 0;
    for (int i = 0; i < 200_000; i++) {
      taken += noise.sample(0.01) ? 1 : 0;
    }
    // Binomial(200000, 0.01): mean 2000, standard deviation 44.5; six deviations either side.
    assertThat(taken).isBetween(1733, 2267);
  }
}
