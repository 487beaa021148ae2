package org.fedledger.ledger.training;

import java.util.ArrayList;
import java.util.List;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.training.JobStatus;
import org.fedledger.ledger.module.Bytes;
import org.fedledger.ledger.module.ModuleStore;

/**
 * The jobs that are open or running, as a set in state: {@code live_count} → 8 bytes, {@code
 * live/<slot 8B>} → job id and {@code live_slot/<job id>} → its slot. Adding appends; removing
 * moves the last slot into the freed one, so both cost a few writes however many jobs the chain has
 * seen. The agents read this set each block instead of every job ever created: a chain with many
 * finished (or cheaply created and cancelled) jobs no longer hides new ones from them.
 */
final class LiveJobs {
  private static final byte[] COUNT = Bytes.utf8("live_count");
  private static final byte[] SLOT = Bytes.utf8("live/");
  private static final byte[] SLOT_OF = Bytes.utf8("live_slot/");

  private final ModuleStore store;

  LiveJobs(ModuleStore store) {
    this.store = store;
  }

  /** Whether a job in this status belongs to the set. */
  static boolean isLive(JobStatus status) {
    return status == JobStatus.JOB_OPEN || status == JobStatus.JOB_RUNNING;
  }

  /**
   * Adds or removes the job as its status requires; a no-op when it is already where it belongs.
   */
  void track(Hash jobId, JobStatus status) {
    byte[] slotKey = Bytes.concat(SLOT_OF, jobId.toByteArray());
    byte[] slot = store.get(slotKey);
    if (isLive(status) && slot == null) {
      long count = store.getLong(COUNT);
      store.put(Bytes.concat(SLOT, Bytes.ofLong(count)), jobId.toByteArray());
      store.put(slotKey, Bytes.ofLong(count));
      store.putLong(COUNT, count + 1);
    } else if (!isLive(status) && slot != null) {
      long freed = Bytes.toLong(slot);
      long last = store.getLong(COUNT) - 1;
      byte[] lastKey = Bytes.concat(SLOT, Bytes.ofLong(last));
      if (freed != last) {
        byte[] moved = store.get(lastKey);
        store.put(Bytes.concat(SLOT, Bytes.ofLong(freed)), moved);
        store.put(Bytes.concat(SLOT_OF, moved), Bytes.ofLong(freed));
      }
      store.delete(lastKey);
      store.delete(slotKey);
      store.putLong(COUNT, last);
    }
  }

  /** The ids of the live jobs, in slot order. */
  List<Hash> ids() {
    long count = store.getLong(COUNT);
    List<Hash> out = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      out.add(Hash.of(store.get(Bytes.concat(SLOT, Bytes.ofLong(i)))));
    }
    return out;
  }
}
