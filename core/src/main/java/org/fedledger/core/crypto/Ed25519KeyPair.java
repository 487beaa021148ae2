package org.fedledger.core.crypto;

import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * An Ed25519 signing key (the 32-byte RFC 8032 seed) with its public key. The seed never appears in
 * {@link #toString()}.
 *
 * <p>Signs with AWS-LC where it is available ({@link AwsLcEd25519}: the same signature, in a
 * fraction of the time), else with BouncyCastle. Safe to share between threads.
 */
public final class Ed25519KeyPair {
  public static final int SEED_LENGTH = 32;

  private final byte[] seed;
  private final Ed25519PublicKey publicKey;

  /**
   * The seed decoded for AWS-LC on the first signature (a key pair made only for its public key or
   * address never pays for it); {@link #NO_AWS_LC} where AWS-LC is not available. Racy single
   * check: two threads may both decode, to equal keys.
   */
  private volatile Object awsLcKey;

  private static final Object NO_AWS_LC = new Object();

  private Ed25519KeyPair(byte[] seed) {
    this.seed = seed;
    this.publicKey = Ed25519PublicKey.of(Ed25519.publicKeyOf(seed));
  }

  public static Ed25519KeyPair generate(SecureRandom random) {
    byte[] seed = new byte[SEED_LENGTH];
    random.nextBytes(seed);
    return new Ed25519KeyPair(seed);
  }

  public static Ed25519KeyPair generate() {
    return generate(new SecureRandom());
  }

  /** The key pair of a 32-byte seed (RFC 8032's "private key"). */
  public static Ed25519KeyPair fromSeed(byte[] seed) {
    if (seed == null || seed.length != SEED_LENGTH) {
      throw new IllegalArgumentException("an Ed25519 seed is 32 bytes");
    }
    return new Ed25519KeyPair(seed.clone());
  }

  public static Ed25519KeyPair fromSeedHex(String hex) {
    try {
      return fromSeed(HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a hex Ed25519 seed", e);
    }
  }

  public Ed25519PublicKey publicKey() {
    return publicKey;
  }

  /** The 64-byte signature of message. */
  public byte[] sign(byte[] message) {
    Object key = awsLcKey;
    if (key == null) {
      PrivateKey decoded = AwsLcEd25519.privateKey(seed);
      key = decoded != null ? decoded : NO_AWS_LC;
      awsLcKey = key;
    }
    if (key instanceof PrivateKey privateKey) {
      byte[] signature = AwsLcEd25519.sign(privateKey, message);
      if (signature != null) {
        return signature;
      }
    }
    return Ed25519.sign(seed, publicKey.toByteArray(), message);
  }

  public byte[] seed() {
    return seed.clone();
  }

  @Override
  public String toString() {
    return "Ed25519KeyPair[" + publicKey.toHex() + "]";
  }
}
