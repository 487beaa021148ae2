package org.fedledger.ledger.module;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A module's capability to its own slice of state: every key it writes is prefixed with its name
 * and a slash. A module creates its key privately and hands it to no one, so other modules cannot
 * reach its state (they use the interfaces it exports instead).
 */
public final class StoreKey {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,31}");

  private final String name;
  private final byte[] prefix;

  public StoreKey(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a store name is lowercase letters, digits and _, starting with a letter: " + name);
    }
    this.name = name;
    this.prefix = (name + "/").getBytes(StandardCharsets.UTF_8);
  }

  public String name() {
    return name;
  }

  /** The full state key of a module-relative key. */
  public byte[] fullKey(byte[] key) {
    byte[] out = new byte[prefix.length + key.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(key, 0, out, prefix.length, key.length);
    return out;
  }

  @Override
  public String toString() {
    return "StoreKey[" + name + "]";
  }
}
