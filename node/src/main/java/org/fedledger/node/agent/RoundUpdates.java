package org.fedledger.node.agent;

import com.google.protobuf.ByteString;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedledger.core.proto.training.Submission;
import org.fedledger.learning.tensor.Weights;
import org.fedledger.node.blob.BlobException;
import org.fedledger.node.blob.BlobHashMismatchException;

/**
 * A round's update blobs, fetched and verified by hash: each is either weights or the reason it
 * could not be had (which becomes its rejection reason).
 */
public record RoundUpdates(Map<ByteString, Weights> fetched, Map<ByteString, String> unavailable) {

  /**
   * @param skip update hashes not to fetch, with the reason to record (a verifier honours the blob
   *     rejections of the commit it checks)
   */
  public static RoundUpdates fetch(
      BlobSource blobs, List<Submission> submissions, Map<ByteString, String> skip) {
    return fetch(blobs, submissions, skip, Map.of());
  }

  /**
   * @param ready updates already fetched and parsed, by update hash (a validator parses each update
   *     as it arrives, so that the round's aggregation does not wait for it)
   */
  public static RoundUpdates fetch(
      BlobSource blobs,
      List<Submission> submissions,
      Map<ByteString, String> skip,
      Map<ByteString, Weights> ready) {
    Map<ByteString, Weights> fetched = new HashMap<>();
    Map<ByteString, String> unavailable = new HashMap<>(skip);
    Set<ByteString> skipped = skip.keySet();
    for (Submission s : submissions) {
      if (skipped.contains(s.getUpdateHash())) {
        continue;
      }
      Weights parsed = ready.get(s.getUpdateHash());
      if (parsed != null) {
        fetched.put(s.getUpdateHash(), parsed);
        continue;
      }
      try {
        fetched.put(
            s.getUpdateHash(),
            blobs.weights(TrainingState.hash(s.getUpdateHash()), s.getBlobLocation()));
      } catch (BlobHashMismatchException e) {
        unavailable.put(
            s.getUpdateHash(), RoundAggregation.BLOB_REASON + "hash mismatch: " + e.getMessage());
      } catch (BlobException e) {
        unavailable.put(
            s.getUpdateHash(), RoundAggregation.BLOB_REASON + "unavailable: " + e.getMessage());
      }
    }
    return new RoundUpdates(fetched, unavailable);
  }
}
