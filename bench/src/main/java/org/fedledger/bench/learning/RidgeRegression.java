package org.fedledger.bench.learning;

/**
 * Closed-form ridge regression, the central baseline a federated regression is judged against:
 * minimises ‖y − Xw − b‖² + λ‖w‖² exactly, with the intercept b left unpenalised (features and
 * targets are centred first). Solves the normal equations (XᵀX + λI) w = Xᵀy by Cholesky
 * factorisation in double precision; with λ = 0 this is ordinary least squares, which needs XᵀX to
 * be positive definite (no constant or duplicated feature).
 *
 * @param weights row-major {@code features × outputs} coefficients
 * @param intercepts one per output
 * @param features inputs per sample
 * @param outputs targets per sample
 */
public record RidgeRegression(double[] weights, double[] intercepts, int features, int outputs) {

  /**
   * Fits the model.
   *
   * @param x row-major samples of {@code features} values
   * @param y row-major samples of {@code outputs} targets
   * @param lambda the penalty, ≥ 0
   * @throws IllegalArgumentException if the sizes disagree, λ is negative, or the system is
   *     singular (λ = 0 with linearly dependent features: use a positive λ)
   */
  public static RidgeRegression fit(
      float[] x, int features, float[] y, int outputs, double lambda) {
    if (features < 1 || outputs < 1) {
      throw new IllegalArgumentException("need at least one feature and one output");
    }
    if (!(lambda >= 0)) {
      throw new IllegalArgumentException("lambda must be ≥ 0, got " + lambda);
    }
    int n = x.length / features;
    if (n == 0 || x.length != n * features || y.length != n * outputs) {
      throw new IllegalArgumentException(
          x.length
              + " feature values and "
              + y.length
              + " targets are not "
              + "samples of "
              + features
              + " features and "
              + outputs
              + " outputs");
    }
    double[] meanX = columnMeans(x, n, features);
    double[] meanY = columnMeans(y, n, outputs);
    double[] gram = new double[features * features];
    double[] xty = new double[features * outputs];
    double[] row = new double[features];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < features; j++) {
        row[j] = x[i * features + j] - meanX[j];
      }
      for (int j = 0; j < features; j++) {
        for (int k = 0; k <= j; k++) {
          gram[j * features + k] += row[j] * row[k];
        }
        for (int o = 0; o < outputs; o++) {
          xty[j * outputs + o] += row[j] * (y[i * outputs + o] - meanY[o]);
        }
      }
    }
    for (int j = 0; j < features; j++) {
      gram[j * features + j] += lambda;
    }
    double[] lower = cholesky(gram, features);
    double[] w = new double[features * outputs];
    double[] column = new double[features];
    for (int o = 0; o < outputs; o++) {
      for (int j = 0; j < features; j++) {
        column[j] = xty[j * outputs + o];
      }
      double[] solved = solve(lower, features, column);
      for (int j = 0; j < features; j++) {
        w[j * outputs + o] = solved[j];
      }
    }
    double[] b = new double[outputs];
    for (int o = 0; o < outputs; o++) {
      b[o] = meanY[o];
      for (int j = 0; j < features; j++) {
        b[o] -= meanX[j] * w[j * outputs + o];
      }
    }
    return new RidgeRegression(w, b, features, outputs);
  }

  /** Predictions for row-major samples, row-major {@code outputs} per sample. */
  public float[] predict(float[] x) {
    int n = x.length / features;
    float[] out = new float[n * outputs];
    for (int i = 0; i < n; i++) {
      for (int o = 0; o < outputs; o++) {
        double v = intercepts[o];
        for (int j = 0; j < features; j++) {
          v += x[i * features + j] * weights[j * outputs + o];
        }
        out[i * outputs + o] = (float) v;
      }
    }
    return out;
  }

  private static double[] columnMeans(float[] values, int n, int width) {
    double[] mean = new double[width];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < width; j++) {
        mean[j] += values[i * width + j];
      }
    }
    for (int j = 0; j < width; j++) {
      mean[j] /= n;
    }
    return mean;
  }

  // Lower-triangular L with L·Lᵀ = a, reading only a's lower triangle.
  private static double[] cholesky(double[] a, int d) {
    double[] l = new double[d * d];
    for (int j = 0; j < d; j++) {
      double diagonal = a[j * d + j];
      for (int k = 0; k < j; k++) {
        diagonal -= l[j * d + k] * l[j * d + k];
      }
      if (!(diagonal > 1e-12 * Math.max(1, Math.abs(a[j * d + j])))) {
        throw new IllegalArgumentException(
            "the features are linearly dependent (feature "
                + j
                + " adds nothing); use a positive lambda");
      }
      l[j * d + j] = Math.sqrt(diagonal);
      for (int i = j + 1; i < d; i++) {
        double v = a[i * d + j];
        for (int k = 0; k < j; k++) {
          v -= l[i * d + k] * l[j * d + k];
        }
        l[i * d + j] = v / l[j * d + j];
      }
    }
    return l;
  }

  // Solves L·Lᵀ·x = b by forward then back substitution.
  private static double[] solve(double[] l, int d, double[] b) {
    double[] z = new double[d];
    for (int i = 0; i < d; i++) {
      double v = b[i];
      for (int k = 0; k < i; k++) {
        v -= l[i * d + k] * z[k];
      }
      z[i] = v / l[i * d + i];
    }
    double[] x = new double[d];
    for (int i = d - 1; i >= 0; i--) {
      double v = z[i];
      for (int k = i + 1; k < d; k++) {
        v -= l[k * d + i] * x[k];
      }
      x[i] = v / l[i * d + i];
    }
    return x;
  }
}
