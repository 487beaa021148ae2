package org.fedledger.node.serve;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.market.SignedVoucher;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * The provider's latest accepted voucher per channel, in RocksDB with every write synced to its log
 * before it returns: a voucher is saved before the call it pays for is answered, so that a provider
 * that crashes after answering still holds what it is owed and claims it on restart. RocksDB groups
 * the log syncs of concurrent writers, so many calls in flight share one fsync.
 */
public final class VoucherStore implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
  }

  private final Options options;
  private final WriteOptions synced;
  private final RocksDB db;

  private VoucherStore(Options options, WriteOptions synced, RocksDB db) {
    this.options = options;
    this.synced = synced;
    this.db = db;
  }

  /** Opens (creating if needed) the store in dir. */
  public static VoucherStore open(Path dir) throws IOException {
    Files.createDirectories(dir);
    Options options = new Options().setCreateIfMissing(true);
    WriteOptions synced = new WriteOptions().setSync(true);
    try {
      return new VoucherStore(options, synced, RocksDB.open(options, dir.toString()));
    } catch (RocksDBException e) {
      options.close();
      synced.close();
      throw new IOException("cannot open the voucher store in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Saves the channel's latest voucher, synced to disk before returning. */
  public void save(Hash channelId, SignedVoucher voucher) throws IOException {
    try {
      db.put(synced, channelId.toByteArray(), voucher.toByteArray());
    } catch (RocksDBException e) {
      throw new IOException("cannot save the voucher of channel " + channelId.toHex(), e);
    }
  }

  public Optional<SignedVoucher> latest(Hash channelId) throws IOException {
    try {
      byte[] bytes = db.get(channelId.toByteArray());
      return bytes == null ? Optional.empty() : Optional.of(SignedVoucher.parseFrom(bytes));
    } catch (RocksDBException | InvalidProtocolBufferException e) {
      throw new IOException("cannot read the voucher of channel " + channelId.toHex(), e);
    }
  }

  /** Forgets a channel once its last voucher is claimed. */
  public void remove(Hash channelId) throws IOException {
    try {
      db.delete(synced, channelId.toByteArray());
    } catch (RocksDBException e) {
      throw new IOException("cannot remove the voucher of channel " + channelId.toHex(), e);
    }
  }

  /** Every channel's latest voucher, in channel id order. */
  public Map<Hash, SignedVoucher> all() throws IOException {
    Map<Hash, SignedVoucher> out = new LinkedHashMap<>();
    try (RocksIterator it = db.newIterator()) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        out.put(Hash.of(it.key()), SignedVoucher.parseFrom(it.value()));
      }
    } catch (InvalidProtocolBufferException e) {
      throw new IOException("a stored voucher is not a SignedVoucher: " + e.getMessage(), e);
    }
    return out;
  }

  @Override
  public void close() {
    db.close();
    synced.close();
    options.close();
  }
}
