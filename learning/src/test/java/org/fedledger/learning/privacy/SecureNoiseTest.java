package org.fedledger.learning.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecureNoiseTest {
  @Test
  void noiseHasTheRequestedSpreadAndLiesOnTheGrid() {
    SecureNoise noise = SecureNoise.create();
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
    assertThat(mean).isBetween(-0.05, 0.05);
    assertThat(stddev).isBetween(1.97, 2.03);
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
    SecureNoise noise = SecureNoise.create();
    int taken = 0;
    for (int i = 0; i < 200_000; i++) {
      taken += noise.sample(0.01) ? 1 : 0;
    }
    // Binomial(200000, 0.01): mean 2000, standard deviation 44.5; six deviations either side.
    assertThat(taken).isBetween(1733, 2267);
  }
}
