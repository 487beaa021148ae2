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

  public static Hash hash(byte[] data) {
    MessageDigest digest = DIGEST.get();
    digest.reset();
    return Hash.wrap(digest.digest(data));
  }

  /** Hash of the concatenation of the parts, without building the concatenation. */
  public static Hash hash(byte[]... parts) {
    MessageDigest digest = DIGEST.get();
    digest.reset();
    for (byte[] part : parts) {
      digest.update(part);
    }
    return Hash.wrap(digest.digest());
  }
}
