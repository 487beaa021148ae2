package org.fedledger.consensus.raft;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.fedledger.core.proto.StateRootVote;
import org.fedledger.core.tx.TransactionCodec;

/**
 * What a follower sends the leader in one read-only Raft request: encoded transactions it admitted
 * and state-root votes it signed.
 *
 * <p>Format: 'F', version 1, tx count (4 bytes), per tx its length (4 bytes) and bytes, vote count,
 * per vote its length and encoded StateRootVote.
 */
public record ForwardBatch(List<byte[]> txs, List<StateRootVote> votes) {
  private static final int MAGIC = 'F';
  private static final int VERSION = 1;
  private static final int MAX_VOTE_BYTES = 4096;

  public ForwardBatch {
    txs = List.copyOf(txs);
    votes = List.copyOf(votes);
  }

  public boolean isEmpty() {
    return txs.isEmpty() && votes.isEmpty();
  }

  public byte[] encode() {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeByte(MAGIC);
      out.writeByte(VERSION);
      out.writeInt(txs.size());
      for (byte[] tx : txs) {
        out.writeInt(tx.length);
        out.write(tx);
      }
      out.writeInt(votes.size());
      for (StateRootVote v : votes) {
        byte[] b = v.toByteArray();
        out.writeInt(b.length);
        out.write(b);
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory cannot fail", e);
    }
  }

  /** True if bytes start like a forward batch (and so are not some other query). */
  public static boolean looksLikeForward(byte[] bytes) {
    return bytes.length >= 2 && bytes[0] == MAGIC && bytes[1] == VERSION;
  }

  public static ForwardBatch decode(byte[] bytes) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    if (in.readUnsignedByte() != MAGIC || in.readUnsignedByte() != VERSION) {
      throw new IOException("not a forward batch (version 1)");
    }
    int txCount = count(in, bytes.length);
    List<byte[]> txs = new ArrayList<>(txCount);
    for (int i = 0; i < txCount; i++) {
      txs.add(chunk(in, TransactionCodec.MAX_TX_BYTES));
    }
    int voteCount = count(in, bytes.length);
    List<StateRootVote> votes = new ArrayList<>(voteCount);
    for (int i = 0; i < voteCount; i++) {
      try {
        votes.add(StateRootVote.parseFrom(chunk(in, MAX_VOTE_BYTES)));
      } catch (InvalidProtocolBufferException e) {
        throw new IOException("forwarded vote " + i + " is not a StateRootVote", e);
      }
    }
    return new ForwardBatch(txs, votes);
  }

  private static int count(DataInputStream in, int totalBytes) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > totalBytes / 4) {
      throw new IOException("implausible element count " + n);
    }
    return n;
  }

  private static byte[] chunk(DataInputStream in, int max) throws IOException {
    int len = in.readInt();
    if (len < 0 || len > max) {
      throw new IOException("element length " + len + " outside [0, " + max + "]");
    }
    byte[] b = in.readNBytes(len);
    if (b.length != len) {
      throw new IOException("forward batch is truncated");
    }
    return b;
  }
}
