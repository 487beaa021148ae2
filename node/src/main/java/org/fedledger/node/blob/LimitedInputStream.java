package org.fedledger.node.blob;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Fails a read that would pass the byte cap, so that a body larger than allowed is never kept. */
final class LimitedInputStream extends FilterInputStream {
  private final long maxBytes;
  private long read;

  LimitedInputStream(InputStream in, long maxBytes) {
    super(in);
    this.maxBytes = maxBytes;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = super.read(buf, off, len);
    if (n > 0) {
      count(n);
    }
    return n;
  }

  private void count(int n) throws IOException {
    read += n;
    if (read > maxBytes) {
      throw new IOException("the body is larger than the " + maxBytes + " bytes allowed");
    }
  }
}
