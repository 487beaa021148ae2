package org.fedledger.bench.learning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RidgeRegressionTest {
  // y0 = 2·x0 − 3·x1 + 1, y1 = x1 + 5, on points that are not collinear.
  private static final float[] X = {0, 0, 1, 0, 0, 1, 2, 1, 1, 3, -1, 2};
  private static final float[] Y = {1, 5, 3, 5, -2, 6, 2, 6, -6, 8, -7, 7};

  @Test
  void withoutPenaltyRecoversAnExactLinearRelationWithItsIntercepts() {
    RidgeRegression r = RidgeRegression.fit(X, 2, Y, 2, 0);
    assertThat(r.weights()).containsExactly(new double[] {2, 0, -3, 1}, within(1e-9));
    assertThat(r.intercepts()).containsExactly(new double[] {1, 5}, within(1e-9));
    assertThat(r.predict(new float[] {10, 10}))
        .containsExactly(new float[] {-9, 15}, within(1e-4f));
  }

  @Test
  void thePenaltyShrinksTheSlopeButNotTheIntercept() {
    // One feature, x = -1, 0, 1, y = 2x + 4: centred Σx² = 2, Σxy = 4, so w = 4 / (2 + λ).
    float[] x = {-1, 0, 1};
    float[] y = {2, 4, 6};
    RidgeRegression r = RidgeRegression.fit(x, 1, y, 1, 2);
    assertThat(r.weights()[0]).isCloseTo(1.0, within(1e-12));
    assertThat(r.intercepts()[0]).isCloseTo(4.0, within(1e-12));
  }

  @Test
  void refusesDependentFeaturesWithoutPenaltyAndNegativePenalty() {
    float[] duplicated = {1, 1, 2, 2, 3, 3};
    assertThatThrownBy(() -> RidgeRegression.fit(duplicated, 2, new float[] {1, 2, 3}, 1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("linearly dependent");
    assertThat(RidgeRegression.fit(duplicated, 2, new float[] {1, 2, 3}, 1, 1).weights())
        .hasSize(2);
    assertThatThrownBy(() -> RidgeRegression.fit(X, 2, Y, 2, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lambda");
    assertThatThrownBy(() -> RidgeRegression.fit(X, 2, new float[5], 2, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("are not samples");
  }
}
