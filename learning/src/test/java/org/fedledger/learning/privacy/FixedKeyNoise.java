package org.fedledger.learning.privacy;

/**
 * Fixed-key generators for tests in other packages, which need DP-SGD's draws to be replayable.
 * Test code only: a fixed key hides nothing.
 */
public final class FixedKeyNoise {
  private FixedKeyNoise() {}

  /** A generator whose draws are the same on every run for the same seed. */
  public static SecureNoise generator(long seed) {
    return SecureNoise.withFixedKeyForTests(seed);
  }
}
