package org.fedledger.core.crypto;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * AWS-LC's Ed25519, reached through the Amazon Corretto Crypto Provider (ACCP): verification in
 * about 38 microseconds per signature on this project's x86-64 machine against BouncyCastle's 80,
 * and signing several times faster than BouncyCastle's Java (see "Signing" below). For verification
 * it is a fast way to <em>accept</em>, never a way to reject: {@link Ed25519PublicKey#verify} takes
 * its yes, and asks BouncyCastle, which defines {@link Ed25519}'s rule, whenever it says anything
 * else.
 *
 * <h2>Why its yes is the rule's yes</h2>
 *
 * <p>It is only asked about a key that passed the rule's checks 3 and 4 (canonical, on the curve,
 * not of small order; BouncyCastle decoded it) and a signature whose {@code S} passed check 2
 * ({@link Ed25519#hasCanonicalS}). AWS-LC accepts only if {@code [S]B - [k]A}, encoded, equals the
 * signature's {@code R} bytes, with {@code k} the same SHA-512 of the same bytes. An encoding it
 * computed is canonical and on the curve, so {@code R} passes check 5; and the cofactorless
 * equation implies the cofactored one of check 6 (multiply both sides by 8). So every signature it
 * accepts, the rule accepts. The converse does not hold (a signature valid only under the
 * cofactored equation, which no honest signer makes), which is exactly why a no from AWS-LC decides
 * nothing. {@code Ed25519Test} checks every edge case through both paths, and {@code
 * AwsLcEd25519Test} checks the containment on mutated signatures.
 *
 * <p>So a node with AWS-LC and a node without it accept the same signatures, and a signature that
 * fails costs both verifications (about 120 microseconds instead of 80); honest traffic pays only
 * the fast one.
 *
 * <h2>Signing</h2>
 *
 * <p>Ed25519 signing is deterministic (RFC 8032 section 5.1.6: the nonce is a hash of the seed's
 * second half and the message), so AWS-LC and BouncyCastle produce the same 64 bytes for the same
 * seed and message; {@code AwsLcEd25519Test} checks that over many keys and messages. Signing here
 * therefore changes no signature anywhere, only its cost: a provider signs a receipt for every
 * prediction it serves and a client a voucher for every call it pays, where BouncyCastle's signing
 * was the largest single cost of a paid call (BENCHMARKS.md, "Serving"). {@link
 * Ed25519KeyPair#sign} falls back to BouncyCastle where AWS-LC is not available or fails.
 *
 * <p>ACCP ships AWS-LC as a native library for Linux (x86-64 here). Where it does not load (another
 * platform) or when the system property {@value #ENABLED_PROPERTY} is {@code false}, {@link
 * #available} is false and every verification is BouncyCastle's alone. The provider is used
 * directly, never installed in the JVM's provider list, so nothing else in the process changes.
 */
final class AwsLcEd25519 {
  /** Set to {@code false} to verify with BouncyCastle alone (to compare, or to rule AWS-LC out). */
  static final String ENABLED_PROPERTY = "fedledger.ed25519.awslc";

  /** The DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519 (RFC 8410), before the key. */
  private static final byte[] X509_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private static final AmazonCorrettoCryptoProvider PROVIDER = load();

  /** A Signature is stateful; each thread keeps its own. */
  private static final ThreadLocal<Signature> SIGNATURES =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Signature.getInstance("Ed25519", PROVIDER);
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("ACCP loaded but has no Ed25519", e);
            }
          });

  /** The DER prefix of a PKCS #8 PrivateKeyInfo for Ed25519 (RFC 8410), before the seed. */
  private static final byte[] PKCS8_PREFIX = {
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20
  };

  private AwsLcEd25519() {}

  private static AmazonCorrettoCryptoProvider load() {
    if (!Boolean.parseBoolean(System.getProperty(ENABLED_PROPERTY, "true"))) {
      return null;
    }
    try {
      AmazonCorrettoCryptoProvider provider = AmazonCorrettoCryptoProvider.INSTANCE;
      if (provider.getLoadingError() != null) {
        return null;
      }
      Signature.getInstance("Ed25519", provider);
      return provider;
    } catch (GeneralSecurityException | LinkageError | RuntimeException e) {
      // Not this platform's native library, or a provider without Ed25519: BouncyCastle alone.
      return null;
    }
  }

  /** True if AWS-LC loaded and verifications try it first. */
  static boolean available() {
    return PROVIDER != null;
  }

  /** A short name of who verifies, for logs and benchmark reports. */
  static String describe() {
    return available()
        ? "AWS-LC (ACCP " + PROVIDER.getVersionStr() + ") to accept, BouncyCastle to decide"
        : "BouncyCastle";
  }

  /**
   * The key as the JCA sees it, for {@link #accepts}; null if AWS-LC is not available. Built with
   * the JDK's own key factory: ACCP reads any Ed25519 {@link PublicKey}.
   */
  static PublicKey publicKey(byte[] encoded) {
    if (!available()) {
      return null;
    }
    try {
      return KeyFactory.getInstance("Ed25519")
          .generatePublic(new X509EncodedKeySpec(der(X509_PREFIX, encoded)));
    } catch (GeneralSecurityException e) {
      return null;
    }
  }

  /**
   * True if AWS-LC accepts the signature; false if it rejects it, fails, or is not available. Only
   * for keys BouncyCastle decoded and signatures with a canonical S (see the class comment).
   */
  static boolean accepts(PublicKey key, byte[] message, byte[] signature) {
    if (key == null) {
      return false;
    }
    try {
      Signature verifier = SIGNATURES.get();
      verifier.initVerify(key);
      verifier.update(message);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /**
   * The seed as a key AWS-LC signs with, decoded once, by the JDK's own key factory (ACCP 2.5 has
   * none for Ed25519 and signs with any Ed25519 {@link PrivateKey}); null if AWS-LC is not
   * available or the key is refused (then {@link Ed25519KeyPair} signs with BouncyCastle).
   */
  static PrivateKey privateKey(byte[] seed) {
    if (!available()) {
      return null;
    }
    byte[] pkcs8 = der(PKCS8_PREFIX, seed);
    try {
      return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException | RuntimeException e) {
      return null;
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
  }

  /**
   * AWS-LC's signature of message under key (from {@link #privateKey}), or null if it fails, so
   * that the caller can sign with BouncyCastle instead: the same bytes either way.
   */
  static byte[] sign(PrivateKey key, byte[] message) {
    try {
      Signature signer = SIGNATURES.get();
      signer.initSign(key);
      signer.update(message);
      return signer.sign();
    } catch (GeneralSecurityException | RuntimeException e) {
      return null;
    }
  }

  /** A fixed DER prefix followed by the key's 32 bytes (RFC 8410's encodings end with them). */
  private static byte[] der(byte[] prefix, byte[] key32) {
    byte[] der = Arrays.copyOf(prefix, prefix.length + 32);
    System.arraycopy(key32, 0, der, prefix.length, 32);
    return der;
  }
}
