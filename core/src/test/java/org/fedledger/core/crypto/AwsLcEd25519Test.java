package org.fedledger.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Random;
import org.fedledger.testkit.ed25519.Edwards;
import org.junit.jupiter.api.Test;

/**
 * AWS-LC may speed up acceptance but never change a verdict: it loads where the project is built
 * and benchmarked, it accepts honest signatures, everything it accepts the rule accepts (over many
 * mutated signatures), and a signature valid only under the rule's cofactored equation is still
 * accepted, by BouncyCastle, after AWS-LC said no.
 */
class AwsLcEd25519Test {
  private static final byte[] MESSAGE = "fedledger transfer".getBytes(StandardCharsets.UTF_8);

  @Test
  void loadsOnLinuxX8664() {
    assumeTrue(
        System.getProperty("os.name").equals("Linux")
            && System.getProperty("os.arch").equals("amd64"),
        "ACCP's native library is for Linux; elsewhere BouncyCastle verifies alone");
    assertThat(AwsLcEd25519.available()).isTrue();
    assertThat(Ed25519.verifier()).startsWith("AWS-LC (ACCP ").endsWith("BouncyCastle to decide");
  }

  @Test
  void acceptsHonestSignaturesAndRejectsAnotherMessage() {
    assumeTrue(AwsLcEd25519.available());
    for (int i = 0; i < 20; i++) {
      Ed25519KeyPair key = keyPair(i);
      PublicKey awsLcKey = AwsLcEd25519.publicKey(key.publicKey().toByteArray());
      byte[] sig = key.sign(MESSAGE);
      assertThat(AwsLcEd25519.accepts(awsLcKey, MESSAGE, sig)).isTrue();
      assertThat(AwsLcEd25519.accepts(awsLcKey, "other".getBytes(StandardCharsets.UTF_8), sig))
          .isFalse();
    }
  }

  @Test
  void everythingAwsLcAcceptsTheRuleAcceptsOverMutatedSignatures() {
    assumeTrue(AwsLcEd25519.available());
    Random random = new Random(42);
    int accepted = 0;
    int rejected = 0;
    for (int i = 0; i < 400; i++) {
      Ed25519KeyPair key = keyPair(i);
      byte[] pk = key.publicKey().toByteArray();
      byte[] message = new byte[1 + random.nextInt(200)];
      random.nextBytes(message);
      byte[] sig = key.sign(message);
      byte[] candidate = mutate(sig, random);
      byte[] signedMessage = random.nextInt(8) == 0 ? mutate(message, random) : message;

      boolean rule = Ed25519.verify(pk, signedMessage, candidate);
      boolean awsLc =
          Ed25519.hasCanonicalS(candidate)
              && AwsLcEd25519.accepts(AwsLcEd25519.publicKey(pk), signedMessage, candidate);
      assertThat(!awsLc || rule).as("case %d: AWS-LC accepted what the rule rejects", i).isTrue();
      assertThat(Ed25519PublicKey.of(pk).verify(signedMessage, candidate)).isEqualTo(rule);
      if (rule) {
        accepted++;
      } else {
        rejected++;
      }
    }
    // The mutations leave some signatures intact, so both verdicts are exercised.
    assertThat(accepted).isPositive();
    assertThat(rejected).isGreaterThan(250);
  }

  @Test
  void aSignatureValidOnlyUnderTheCofactoredEquationIsAcceptedAfterAwsLcSaysNo() {
    assumeTrue(AwsLcEd25519.available());
    BigInteger secret = new BigInteger("1234567890abcdef1234567890abcdef", 16);
    byte[] a = Edwards.B.times(secret).encode();
    // R carries a torsion part of order 8: the cofactorless equation fails, the cofactored holds.
    byte[] sig =
        Edwards.sign(secret, a, MESSAGE, new BigInteger("fedcba0987654321", 16), Edwards.order8());
    assertThat(Edwards.cofactorlessEquationHolds(a, MESSAGE, sig)).isFalse();

    assertThat(AwsLcEd25519.accepts(AwsLcEd25519.publicKey(a), MESSAGE, sig)).isFalse();
    assertThat(Ed25519PublicKey.of(a).verify(MESSAGE, sig)).isTrue();
    assertThat(Ed25519.verify(a, MESSAGE, sig)).isTrue();
  }

  @Test
  void signsTheSameBytesAsBouncyCastleForEveryKeyAndMessage() {
    assumeTrue(AwsLcEd25519.available());
    Random random = new Random(8032);
    for (int i = 0; i < 300; i++) {
      byte[] seed = new byte[Ed25519KeyPair.SEED_LENGTH];
      random.nextBytes(seed);
      byte[] message = new byte[random.nextInt(i < 10 ? 1 : 400)]; // the empty message included
      random.nextBytes(message);
      Ed25519KeyPair key = Ed25519KeyPair.fromSeed(seed);
      byte[] bouncyCastle = Ed25519.sign(seed, key.publicKey().toByteArray(), message);

      byte[] awsLc = AwsLcEd25519.sign(AwsLcEd25519.privateKey(seed), message);

      assertThat(awsLc).as("case %d", i).isEqualTo(bouncyCastle);
      assertThat(key.sign(message)).as("case %d, through the key pair", i).isEqualTo(bouncyCastle);
    }
  }

  @Test
  void aFailedAwsLcSignatureIsNullSoTheKeyPairFallsBackToBouncyCastle() {
    assumeTrue(AwsLcEd25519.available());
    assertThat(AwsLcEd25519.sign(null, MESSAGE)).isNull();
    assertThat(AwsLcEd25519.sign(AwsLcEd25519.privateKey(new byte[32]), null)).isNull();
    // The thread's Signature still signs afterwards.
    Ed25519KeyPair key = keyPair(5);
    assertThat(key.publicKey().verify(MESSAGE, key.sign(MESSAGE))).isTrue();
  }

  @Test
  void canonicalSIsBelowTheGroupOrder() {
    assertThat(Ed25519.hasCanonicalS(withS(BigInteger.ZERO))).isTrue();
    assertThat(Ed25519.hasCanonicalS(withS(Edwards.L.subtract(BigInteger.ONE)))).isTrue();
    assertThat(Ed25519.hasCanonicalS(withS(Edwards.L))).isFalse();
    assertThat(Ed25519.hasCanonicalS(withS(Edwards.L.add(BigInteger.ONE)))).isFalse();
    assertThat(Ed25519.hasCanonicalS(withS(BigInteger.TWO.pow(252)))).isTrue();
    assertThat(Ed25519.hasCanonicalS(withS(BigInteger.TWO.pow(256).subtract(BigInteger.ONE))))
        .isFalse();
    assertThat(Ed25519.hasCanonicalS(new byte[63])).isFalse();
    assertThat(Ed25519.hasCanonicalS(null)).isFalse();
  }

  @Test
  void awsLcRejectsANonCanonicalSOnItsOwnToo() {
    assumeTrue(AwsLcEd25519.available());
    Ed25519KeyPair key = keyPair(7);
    byte[] sig = key.sign(MESSAGE);
    BigInteger s = Edwards.fromLittleEndian(Arrays.copyOfRange(sig, 32, 64));
    byte[] forged = withS(s.add(Edwards.L));
    System.arraycopy(sig, 0, forged, 0, 32);
    // Not relied on (hasCanonicalS is checked first), but worth knowing if it ever changes.
    assertThat(
            AwsLcEd25519.accepts(
                AwsLcEd25519.publicKey(key.publicKey().toByteArray()), MESSAGE, forged))
        .isFalse();
  }

  @Test
  void malformedInputIsARejectionNotAnError() {
    assumeTrue(AwsLcEd25519.available());
    Ed25519KeyPair key = keyPair(3);
    PublicKey awsLcKey = AwsLcEd25519.publicKey(key.publicKey().toByteArray());
    byte[] sig = key.sign(MESSAGE);
    assertThat(AwsLcEd25519.accepts(null, MESSAGE, sig)).isFalse();
    assertThat(AwsLcEd25519.accepts(awsLcKey, MESSAGE, Arrays.copyOf(sig, 63))).isFalse();
    assertThat(AwsLcEd25519.accepts(awsLcKey, MESSAGE, null)).isFalse();
    assertThat(AwsLcEd25519.accepts(awsLcKey, null, sig)).isFalse();
    // The thread's Signature is still usable after those failures.
    assertThat(AwsLcEd25519.accepts(awsLcKey, MESSAGE, sig)).isTrue();
  }

  private static Ed25519KeyPair keyPair(int i) {
    byte[] seed = new byte[32];
    seed[0] = (byte) i;
    seed[1] = (byte) (i >> 8);
    return Ed25519KeyPair.fromSeed(seed);
  }

  /** One of: a flipped bit, a replaced byte, S + L, R and S swapped, or nothing changed. */
  private static byte[] mutate(byte[] in, Random random) {
    byte[] out = in.clone();
    switch (random.nextInt(5)) {
      case 0 -> out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
      case 1 -> out[random.nextInt(out.length)] = (byte) random.nextInt(256);
      case 2 -> {
        if (out.length == 64) {
          BigInteger s = Edwards.fromLittleEndian(Arrays.copyOfRange(out, 32, 64));
          System.arraycopy(Edwards.littleEndian(s.add(Edwards.L)), 0, out, 32, 32);
        }
      }
      case 3 -> {
        if (out.length == 64) {
          byte[] r = Arrays.copyOf(out, 32);
          System.arraycopy(out, 32, out, 0, 32);
          System.arraycopy(r, 0, out, 32, 32);
        }
      }
      default -> {}
    }
    return out;
  }

  private static byte[] withS(BigInteger s) {
    byte[] sig = new byte[64];
    System.arraycopy(Edwards.littleEndian(s), 0, sig, 32, 32);
    return sig;
  }
}
