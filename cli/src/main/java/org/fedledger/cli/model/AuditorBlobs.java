package org.fedledger.cli.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.io.FileTrees;
import org.fedledger.node.agent.BlobSource;
import org.fedledger.node.blob.BlobClient;
import org.fedledger.node.blob.BlobStore;

/**
 * A {@link BlobSource} for one CLI run: signed requests with the auditor's key (blob servers serve
 * a job's blobs to its members and the validators only), fetched into a fresh temporary store so
 * every blob is downloaded and verified again; the store is deleted on close.
 */
final class AuditorBlobs implements AutoCloseable {
  private final Path dir;
  private final BlobSource source;

  AuditorBlobs(Ed25519KeyPair key, List<String> peers) throws IOException {
    this.dir = Files.createTempDirectory("fedledger-audit");
    this.source = new BlobSource(new BlobClient(key, new BlobStore(dir), Clock.systemUTC()), peers);
  }

  BlobSource source() {
    return source;
  }

  @Override
  public void close() throws IOException {
    FileTrees.delete(dir);
  }
}
