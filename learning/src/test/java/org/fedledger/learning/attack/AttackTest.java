package org.fedledger.learning.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.fedledger.learning.tensor.NamedTensor;
import org.fedledger.learning.tensor.Weights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AttackTest {
  private static final Weights DELTA =
      new Weights(List.of(new NamedTensor("w", new long[] {3}, new float[] {1, -2, 0.5f})));

  @Test
  void labelFlipMapsYToCMinusOneMinusY() {
    int[] labels = {0, 1, 9, 4};
    assertThat(Attack.parse("label-flip").poisonLabels(labels, 10)).containsExactly(9, 8, 0, 5);
    assertThat(labels).containsExactly(0, 1, 9, 4); // input untouched
    assertThat(Attack.parse("label-flip").poisonUpdate(DELTA, 1)).isEqualTo(DELTA);
    assertThatThrownBy(() -> new LabelFlip().poisonLabels(new int[] {10}, 10))
        .hasMessageContaining("outside [0, 10)");
  }

  @Test
  void signFlipNegatesAndOptionallyScales() {
    assertThat(Attack.parse("sign-flip").poisonUpdate(DELTA, 1).flatten())
        .containsExactly(-1, 2, -0.5f);
    assertThat(Attack.parse("sign-flip:4").poisonUpdate(DELTA, 1).flatten())
        .containsExactly(-4, 8, -2);
    assertThat(Attack.parse("sign-flip").poisonLabels(new int[] {3}, 10)).containsExactly(3);
  }

  @Test
  void scaleMultiplies() {
    assertThat(Attack.parse("scale:10").poisonUpdate(DELTA, 1).flatten())
        .containsExactly(10, -20, 5);
  }

  @Test
  void noiseReplacesTheUpdateWithSeededGaussianNoise() {
    Attack noise = Attack.parse("noise:2");
    float[] a = noise.poisonUpdate(DELTA, 5).flatten();
    assertThat(noise.poisonUpdate(DELTA, 5).flatten()).containsExactly(a);
    assertThat(noise.poisonUpdate(DELTA, 6).flatten()).isNotEqualTo(a);
    Weights big = new Weights(List.of(new NamedTensor("w", new long[] {20000}, new float[20000])));
    float[] v = noise.poisonUpdate(big, 1).flatten();
    double sq = 0;
    for (float x : v) {
      sq += x * x;
    }
    assertThat(Math.sqrt(sq / v.length)).isBetween(1.9, 2.1);
  }

  @Test
  void noneChangesNothing() {
    assertThat(Attack.parse("none").poisonUpdate(DELTA, 1)).isEqualTo(DELTA);
    assertThat(Attack.parse("none").name()).isEqualTo("none");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "backdoor",
        "scale",
        "scale:x",
        "scale:-1",
        "noise:0",
        "sign-flip:1:2",
        "label-flip:3"
      })
  void badAttackNamesAreRefusedListingTheValidOnes(String spec) {
    assertThatThrownBy(() -> Attack.parse(spec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("label-flip, sign-flip[:SCALE], scale:S, noise:SIGMA");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"none", "label-flip", "sign-flip", "sign-flip:2.0", "scale:3.0", "noise:0.5"})
  void namesRoundTrip(String spec) {
    assertThat(Attack.parse(spec).name()).isEqualTo(spec);
  }

  @Test
  void maliciousClientsAreASeededFraction() {
    int[] chosen = MaliciousClients.choose(100, 0.3, 9);
    assertThat(chosen).hasSize(30).isSorted().doesNotHaveDuplicates();
    assertThat(MaliciousClients.choose(100, 0.3, 9)).containsExactly(chosen);
    assertThat(MaliciousClients.choose(100, 0.3, 10)).isNotEqualTo(chosen);
    assertThat(MaliciousClients.choose(10, 0, 9)).isEmpty();
    assertThat(MaliciousClients.choose(10, 1, 9)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThatThrownBy(() -> MaliciousClients.choose(10, 1.5, 9)).hasMessageContaining("[0, 1]");
  }
}
