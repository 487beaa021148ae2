package org.fedledger.consensus.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519PublicKey;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.io.FileTrees;
import org.fedledger.core.proto.BlockProposal;
import org.fedledger.core.tx.DecodedTransaction;

/**
 * A stable handle on the application whose state directory can be replaced wholesale, as when a
 * lagging follower installs a snapshot from the leader. Callers keep this object; the instance
 * behind it changes.
 *
 * <p>Directory protocol, safe against a crash at any step: the new state is unpacked into {@code
 * <dir>.incoming} and marked complete; the live directory is renamed to {@code <dir>.old}; the
 * incoming one is renamed into place; the old one is deleted. {@link #open} finishes or rolls back
 * an interrupted swap.
 *
 * @param <A> the type of the instances behind the handle, which {@link #current()} returns
 */
public final class ReopenableApplication<A extends Application> implements Application {
  public static final String COMPLETE_MARKER = ".complete";

  private final Path dir;
  private final ApplicationFactory<A> factory;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private volatile A current;

  private ReopenableApplication(Path dir, ApplicationFactory<A> factory, A current) {
    this.dir = dir;
    this.factory = factory;
    this.current = current;
  }

  public static <A extends Application> ReopenableApplication<A> open(
      Path dir, ApplicationFactory<A> factory) throws IOException {
    recoverInterruptedSwap(dir);
    return new ReopenableApplication<>(dir, factory, factory.open(dir));
  }

  public Path dir() {
    return dir;
  }

  /** Where a replacement state must be unpacked before {@link #replaceWithIncoming()}. */
  public Path incomingDir() {
    return sibling(dir, ".incoming");
  }

  /**
   * Closes the current state, swaps in the complete directory at {@link #incomingDir()} and opens
   * it. Blocks concurrent calls for the duration.
   */
  public void replaceWithIncoming() throws IOException {
    Path incoming = incomingDir();
    if (!Files.exists(incoming.resolve(COMPLETE_MARKER))) {
      throw new IOException("refusing to install " + incoming + ": it is not marked complete");
    }
    lock.writeLock().lock();
    try {
      current.close();
      Path old = sibling(dir, ".old");
      FileTrees.delete(old);
      Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
      Files.move(incoming, dir, StandardCopyOption.ATOMIC_MOVE);
      Files.deleteIfExists(dir.resolve(COMPLETE_MARKER));
      current = factory.open(dir);
      FileTrees.delete(old);
    } finally {
      lock.writeLock().unlock();
    }
  }

  private static void recoverInterruptedSwap(Path dir) throws IOException {
    Path incoming = sibling(dir, ".incoming");
    Path old = sibling(dir, ".old");
    if (!Files.exists(dir)) {
      if (Files.exists(incoming.resolve(COMPLETE_MARKER))) {
        Files.move(incoming, dir, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(dir.resolve(COMPLETE_MARKER));
      } else if (Files.exists(old)) {
        Files.move(old, dir, StandardCopyOption.ATOMIC_MOVE);
      }
    }
    FileTrees.delete(old);
    FileTrees.delete(incoming);
  }

  static Path sibling(Path dir, String suffix) {
    return dir.resolveSibling(dir.getFileName().toString() + suffix);
  }

  private <T> T read(Function<Application, T> f) {
    lock.readLock().lock();
    try {
      return f.apply(current);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The instance behind this handle right now; do not keep it across snapshot installs. */
  public A current() {
    return current;
  }

  @Override
  public String chainId() {
    return read(Application::chainId);
  }

  @Override
  public Admission checkTransaction(DecodedTransaction tx) {
    return read(a -> a.checkTransaction(tx));
  }

  @Override
  public long accountNonce(Address sender) {
    return read(a -> a.accountNonce(sender));
  }

  @Override
  public AppliedBlock applyBlock(BlockProposal proposal, byte[] consensusMarker) {
    return read(a -> a.applyBlock(proposal, consensusMarker));
  }

  @Override
  public Optional<CommittedTx> findCommitted(Hash txHash) {
    return read(a -> a.findCommitted(txHash));
  }

  @Override
  public byte[] consensusMarker() {
    return read(Application::consensusMarker);
  }

  @Override
  public long height() {
    return read(Application::height);
  }

  @Override
  public Hash lastBlockHash() {
    return read(Application::lastBlockHash);
  }

  @Override
  public Hash stateRoot() {
    return read(Application::stateRoot);
  }

  @Override
  public long lastBlockTimestampMillis() {
    return read(Application::lastBlockTimestampMillis);
  }

  @Override
  public boolean isValidator(Ed25519PublicKey key) {
    return read(a -> a.isValidator(key));
  }

  @Override
  public void checkpoint(Path target) throws IOException {
    lock.readLock().lock();
    try {
      current.checkpoint(target);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      current.close();
    } finally {
      lock.writeLock().unlock();
    }
  }
}
