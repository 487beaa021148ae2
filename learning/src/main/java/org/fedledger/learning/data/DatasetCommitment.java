package org.fedledger.learning.data;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.learning.data.schema.DatasetSchema;
import org.fedledger.learning.data.schema.Task;

/**
 * A data owner's commitment to its data, whatever the format: SHA-256 over the samples as read
 * under the schema, so that a CSV table, an image folder and an IDX folder are all committed to in
 * the same way, and reordering columns in a CSV file or re-encoding a PNG without changing its
 * pixels keeps the commitment while any changed value changes it.
 *
 * <p>The hashed bytes (version 1), all big-endian:
 *
 * <ol>
 *   <li>the schema's hash ({@link DatasetSchema#hash()}, 32 bytes), binding the numbers to their
 *       meaning;
 *   <li>the sample count, int64;
 *   <li>for each sample in reading order: its features as IEEE-754 float32 bit patterns (after
 *       one-hot, fills and image scaling), then its class as int32 (classification) or its targets
 *       as float32 (regression).
 * </ol>
 *
 * @param hash the commitment
 * @param samples the sample count, registered beside it
 */
public record DatasetCommitment(Hash hash, long samples) {
  /** The commitment to data read under schema. */
  public static DatasetCommitment of(LabeledData data, DatasetSchema schema) {
    if (data.isRegression() != (schema.task() == Task.REGRESSION)
        || data.outputCount() != schema.outputCount()
        || !Arrays.equals(data.sampleShape(), schema.sampleShape())) {
      throw new IllegalArgumentException(
          "the data (" + data + ") was not read under this schema; read it with DatasetReader");
    }
    MessageDigest sha = Sha256.threadDigest();
    sha.update(schema.hash().toByteArray());
    byte[] chunk = new byte[1 << 16];
    ByteBuffer buf = ByteBuffer.wrap(chunk);
    buf.putLong(data.size());
    float[] features = new float[data.featureLength()];
    float[] targets = data.isRegression() ? new float[data.outputCount()] : null;
    for (int i = 0; i < data.size(); i++) {
      data.copyFeatures(i, features, 0);
      for (float v : features) {
        room(sha, chunk, buf, 4).putInt(Float.floatToRawIntBits(v));
      }
      if (targets == null) {
        room(sha, chunk, buf, 4).putInt(data.label(i));
      } else {
        data.copyTargets(i, targets, 0);
        for (float v : targets) {
          room(sha, chunk, buf, 4).putInt(Float.floatToRawIntBits(v));
        }
      }
    }
    sha.update(chunk, 0, buf.position());
    return new DatasetCommitment(Hash.of(sha.digest()), data.size());
  }

  /** Hashes and empties the chunk when it has no room for the next value; returns the buffer. */
  private static ByteBuffer room(MessageDigest sha, byte[] chunk, ByteBuffer buf, int bytes) {
    if (buf.remaining() < bytes) {
      sha.update(chunk, 0, buf.position());
      buf.clear();
    }
    return buf;
  }
}
