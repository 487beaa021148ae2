package org.fedledger.node.keys;

import java.io.IOException;

/** A key file whose permissions let someone other than its owner read it. */
public final class InsecureKeyFileException extends IOException {
  public InsecureKeyFileException(String message) {
    super(message);
  }
}
