package org.fedledger.cli.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.fedledger.cli.CommandFailedException;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.io.FileTrees;
import org.fedledger.node.blob.BlobClient;
import org.fedledger.node.blob.BlobException;
import org.fedledger.node.blob.BlobStore;

/** Uploads one blob to a node's blob server with a signed request (the node's blob API). */
public final class BlobUpload {
  private BlobUpload() {}

  /** Returns the blob's hash once the server has stored it under that hash. */
  public static Hash upload(Ed25519KeyPair key, String blobServer, byte[] bytes) {
    Hash expected = Sha256.hash(bytes);
    Path tmp;
    try {
      tmp = Files.createTempDirectory("fedledger-upload");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory", e);
    }
    try {
      Hash stored =
          new BlobClient(key, new BlobStore(tmp), Clock.systemUTC())
              .upload(blobServer, bytes, expected);
      if (!stored.equals(expected)) {
        throw new CommandFailedException(
            "the blob server at " + blobServer + " stored " + stored + ", expected " + expected);
      }
      return stored;
    } catch (BlobException e) {
      throw new CommandFailedException("uploading to " + blobServer + ": " + e.getMessage());
    } finally {
      deleteTemporary(tmp);
    }
  }

  /** A leftover temporary directory is reported; it must not hide the upload's own outcome. */
  private static void deleteTemporary(Path tmp) {
    try {
      FileTrees.delete(tmp);
    } catch (IOException e) {
      System.err.println("fedledger: warning: cannot delete " + tmp + ": " + e.getMessage());
    }
  }
}
