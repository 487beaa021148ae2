package org.fedledger.core.hash;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 through the JDK's provider, which uses the CPU's SHA extensions where present. */
public final class Sha256 {
  private static final ThreadLocal<MessageDigest> DIGEST =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("every JDK provides SHA-256", e);
            }
          });

  private Sha256() {}

  /**
   * The calling thread's SHA-256 digest, reset: for code that hashes many small pieces into its own
   * buffers without allocating (Merkle trees). Use it at once on the calling thread and never keep
   * it; the next call on the same thread resets it.
   */
  public static MessageDigest threadDigest() {
    MessageDigest digest = DIGEST.get();
    digest.reset();
    return digest;
  }

  public static Hash hash(byte[] data) {
    return Hash.wrap(threadDigest().digest(data));
  }

  /** Hash of the concatenation of the parts, without building the concatenation. */
  public static Hash hash(byte[]... parts) {
    MessageDigest digest = threadDigest();
    for (byte[] part : parts) {
      digest.update(part);
    }
    return Hash.wrap(digest.digest());
  }
}
