package org.fedledger.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.proto.registry.Score;
import org.fedledger.core.proto.training.CommitRound;
import org.fedledger.core.proto.training.Rejection;
import org.fedledger.core.proto.training.Submission;
import org.fedledger.learning.aggregate.AggregationInput;
import org.fedledger.learning.aggregate.ClientUpdate;
import org.fedledger.learning.aggregate.DpEnvelope;
import org.fedledger.learning.aggregate.ServerState;
import org.fedledger.learning.aggregate.Strategies;
import org.fedledger.learning.aggregate.VectorMath;
import org.fedledger.learning.io.Safetensors;
import org.fedledger.learning.io.WeightsHash;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.learning.model.Models;
import org.fedledger.learning.tensor.Weights;
import org.fedledger.node.blob.BlobClient;
import org.fedledger.node.blob.BlobException;
import org.fedledger.node.blob.BlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoundAggregationTest {
  private final Weights global = Models.initialWeights(ModelSpecs.preset("logreg"), 3);
  private final List<Submission> submissions = new ArrayList<>();
  private final Map<ByteString, Weights> fetched = new HashMap<>();
  private final List<ByteString> members = new ArrayList<>();

  @TempDir Path dir;

  private static ByteString address(int participant) {
    byte[] address = new byte[20];
    address[19] = (byte) participant;
    return ByteString.copyFrom(address);
  }

  private void add(int participant, Weights delta) {
    ByteString hash = Sha256.hash(Safetensors.write(delta)).toByteString();
    if (!members.contains(address(participant))) {
      members.add(address(participant));
    }
    submissions.add(
        Submission.newBuilder()
            .setParticipant(address(participant))
            .setUpdateHash(hash)
            .setSampleCount(100 + participant)
            .build());
    fetched.put(hash, delta);
  }

  private Weights honest(long seed) {
    float[] v = global.flatten();
    Random r = new Random(seed);
    for (int i = 0; i < v.length; i++) {
      v[i] = 0.01f + 0.001f * (float) r.nextGaussian();
    }
    return global.withValues(v);
  }

  @Test
  void sameInputsGiveTheSameAggregateHashAndTheAttackerIsRejectedWithItsReason() {
    for (int p = 0; p < 4; p++) {
      add(p, honest(p));
    }
    add(4, VectorMath.scale(honest(9), -4));
    RoundAggregation.Outcome a = run("multi-krum:4:1", ServerState.EMPTY, submissions);
    RoundAggregation.Outcome b =
        RoundAggregation.run(
            "multi-krum:4:1",
            global,
            ServerState.EMPTY,
            members,
            submissions,
            new HashMap<>(fetched),
            Map.of());
    assertThat(a.aggregateHash()).isEqualTo(b.aggregateHash());
    assertThat(a.aggregateHash()).isEqualTo(Sha256.hash(Safetensors.write(a.newGlobal())));
    assertThat(a.accepted()).hasSize(4);
    assertThat(a.rejected()).hasSize(1);
    assertThat(a.rejected().get(0).getUpdateHash()).isEqualTo(submissions.get(4).getUpdateHash());
    assertThat(a.rejected().get(0).getReason()).startsWith("excluded by multi-krum:4:1");
    assertThat(a.scores().stream().mapToLong(Score::getPpm).sum()).isEqualTo(1_000_000);
  }

  @Test
  void anUnavailableBlobIsRejectedWithTheBlobReasonAndTheRestAggregated() {
    add(0, honest(0));
    add(1, honest(1));
    ByteString missing = submissions.get(1).getUpdateHash();
    fetched.remove(missing);
    RoundAggregation.Outcome o =
        RoundAggregation.run(
            "fedavg",
            global,
            ServerState.EMPTY,
            members,
            submissions,
            fetched,
            Map.of(missing, "blob hash mismatch: x"));
    assertThat(o.accepted()).containsExactly(submissions.get(0).getUpdateHash());
    assertThat(o.rejected())
        .extracting(Rejection::getReason)
        .containsExactly("blob hash mismatch: x");
    assertThat(o.scores()).singleElement().extracting(Score::getPpm).isEqualTo(1_000_000L);
  }

  @Test
  void aRoundWithNothingToAggregateCannotBeCommitted() {
    add(0, honest(0));
    fetched.clear();
    assertThatThrownBy(() -> run("fedavg", ServerState.EMPTY, submissions))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("none of the 1 updates");
  }

  @Test
  void updatesAreCombinedInMemberOrderWhateverTheirSubmissionOrder() {
    for (int p = 0; p < 5; p++) {
      add(p, honest(p));
    }
    List<Submission> reversed = new ArrayList<>(submissions);
    Collections.reverse(reversed);
    List<Submission> shuffled = new ArrayList<>(submissions);
    Collections.shuffle(shuffled, new Random(3));
    Hash inOrder = run("fedavg", ServerState.EMPTY, submissions).aggregateHash();
    assertThat(run("fedavg", ServerState.EMPTY, reversed).aggregateHash()).isEqualTo(inOrder);
    assertThat(run("fedavg", ServerState.EMPTY, shuffled).aggregateHash()).isEqualTo(inOrder);
    // The same as the learning module's FedAvg over the updates as clients in member order.
    List<ClientUpdate> clients = new ArrayList<>();
    for (int p = 0; p < 5; p++) {
      Submission s = submissions.get(p);
      clients.add(new ClientUpdate("c" + p, s.getSampleCount(), fetched.get(s.getUpdateHash())));
    }
    Weights simulated =
        Strategies.parse("fedavg").aggregate(new AggregationInput(global, clients)).newGlobal();
    assertThat(WeightsHash.of(simulated)).isEqualTo(inOrder);
  }

  @Test
  void anUpdateFromSomeoneWhoIsNotAMemberCannotBeAggregated() {
    add(0, honest(0));
    members.clear();
    members.add(address(7));
    assertThatThrownBy(() -> run("fedavg", ServerState.EMPTY, submissions))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is not a member of the job");
  }

  @Test
  void statelessStrategiesRecordNoServerStateAndStatefulOnesAHashOfTheirStateBlob() {
    add(0, honest(0));
    add(1, honest(1));
    RoundAggregation.Outcome plain = run("fedavg", ServerState.EMPTY, submissions);
    assertThat(plain.stateBlob()).isNull();
    assertThat(plain.serverStateHash()).isEmpty();
    for (String strategy : List.of("fedavgm", "fedadam")) {
      RoundAggregation.Outcome o = run(strategy, ServerState.EMPTY, submissions);
      assertThat(o.stateBlob()).as(strategy).isNotNull();
      assertThat(o.serverStateHash().toByteArray())
          .isEqualTo(Sha256.hash(o.stateBlob()).toByteArray());
      assertThat(ServerState.decode(o.stateBlob())).isEqualTo(o.state());
    }
  }

  @Test
  void aSecondFedAvgMRoundReRunFromTheRecordedStateBlobGivesTheSameHashesAndUsesTheMomentum()
      throws Exception {
    add(0, honest(0));
    add(1, honest(1));
    RoundAggregation.Outcome first = run("fedavgm", ServerState.EMPTY, submissions);
    BlobStore store = new BlobStore(dir.resolve("blobs"));
    Hash stateHash = store.put(first.stateBlob());
    BlobSource blobs = localSource(store);
    CommitRound commit =
        CommitRound.newBuilder()
            .setServerStateHash(stateHash.toByteString())
            .setBlobLocation("http://127.0.0.1:1")
            .build();

    ServerState recorded = RoundAggregation.stateBefore(blobs, commit);
    assertThat(recorded).isEqualTo(first.state());
    assertThat(RoundAggregation.stateBefore(blobs, null)).isEqualTo(ServerState.EMPTY);
    assertThat(RoundAggregation.stateBefore(blobs, CommitRound.getDefaultInstance()))
        .isEqualTo(ServerState.EMPTY);

    RoundAggregation.Outcome fromMemory = run("fedavgm", first.state(), submissions);
    RoundAggregation.Outcome fromBlob = run("fedavgm", recorded, submissions);
    RoundAggregation.Outcome forgetful = run("fedavgm", ServerState.EMPTY, submissions);
    assertThat(fromBlob.aggregateHash()).isEqualTo(fromMemory.aggregateHash());
    assertThat(fromBlob.serverStateHash()).isEqualTo(fromMemory.serverStateHash());
    assertThat(fromBlob.aggregateHash())
        .as("momentum carried over moves the model further than a fresh start")
        .isNotEqualTo(forgetful.aggregateHash());
  }

  @Test
  void aRecordedStateThatIsNotAServerStateIsABlobProblem() throws Exception {
    BlobStore store = new BlobStore(dir.resolve("blobs"));
    Hash junk = store.put(new byte[] {1, 2, 3});
    BlobSource blobs = localSource(store);
    CommitRound commit = CommitRound.newBuilder().setServerStateHash(junk.toByteString()).build();
    assertThatThrownBy(() -> RoundAggregation.stateBefore(blobs, commit))
        .isInstanceOf(BlobException.class)
        .hasMessageContaining("is not a server state");
  }

  /**
   * Updates a validator parsed as they arrived are taken as they are; the others are read from the
   * store, and a missing one (nowhere to fetch it from) or a skipped one gets its blob reason.
   */
  @Test
  void updatesParsedAheadAreUsedAndTheRestFetchedOrGivenTheirBlobReason() {
    BlobStore store = new BlobStore(dir.resolve("blobs"));
    for (int p = 0; p < 4; p++) {
      add(p, honest(p));
    }
    ByteString parsedAhead = submissions.get(0).getUpdateHash();
    ByteString stored = submissions.get(1).getUpdateHash();
    ByteString missing = submissions.get(2).getUpdateHash();
    ByteString skipped = submissions.get(3).getUpdateHash();
    store.put(Safetensors.write(fetched.get(stored)));
    RoundUpdates updates =
        RoundUpdates.fetch(
            localSource(store),
            submissions,
            Map.of(skipped, "blob hash mismatch: honoured"),
            Map.of(parsedAhead, fetched.get(parsedAhead)));
    assertThat(updates.fetched()).containsOnlyKeys(parsedAhead, stored);
    assertThat(updates.fetched().get(parsedAhead)).isSameAs(fetched.get(parsedAhead));
    assertThat(updates.fetched().get(stored)).isEqualTo(fetched.get(stored));
    assertThat(updates.unavailable()).containsOnlyKeys(missing, skipped);
    assertThat(updates.unavailable().get(missing))
        .startsWith(RoundAggregation.BLOB_REASON + "unavailable: ");
    assertThat(updates.unavailable().get(skipped)).isEqualTo("blob hash mismatch: honoured");
  }

  /**
   * dp-evidence on chain: each round starts from the state blob the previous one recorded, a
   * participant whose updates keep pointing against the others' is rejected with the strategy's
   * reason from then on, and a re-run from the recorded bytes gives the same hashes.
   */
  @Test
  void dpEvidenceCarriesItsEvidenceInTheRecordedStateAndRejectsAConsistentFlipper() {
    // τ = lr·s·√steps/(q·n) = 0.5/(0.1·n): 0.05 per coordinate for 100 records.
    DpEnvelope envelope = new DpEnvelope(1, 1, 0.1, 1, 0.5);
    Random random = new Random(18);
    float[] direction = new float[Math.toIntExact(global.parameterCount())];
    for (int k = 0; k < direction.length; k++) {
      direction[k] = (float) (random.nextGaussian() / Math.sqrt(direction.length));
    }
    ServerState state = ServerState.EMPTY;
    int rejectedFrom = 0;
    for (int round = 1; round <= 6; round++) {
      submissions.clear();
      fetched.clear();
      for (int p = 0; p < 10; p++) {
        double tau = envelope.noisePerCoordinate(100 + p);
        float[] v = new float[direction.length];
        for (int k = 0; k < v.length; k++) {
          v[k] = (float) ((p == 9 ? -1 : 1) * (0.6 * direction[k] + tau * random.nextGaussian()));
        }
        add(p, global.withValues(v));
      }
      RoundAggregation.Outcome o =
          RoundAggregation.run(
              "dp-evidence",
              Optional.of(envelope),
              global,
              state,
              members,
              submissions,
              fetched,
              Map.of());
      RoundAggregation.Outcome again =
          RoundAggregation.run(
              "dp-evidence",
              Optional.of(envelope),
              global,
              ServerState.decode(state.encode()),
              members,
              submissions,
              fetched,
              Map.of());
      assertThat(again.aggregateHash()).isEqualTo(o.aggregateHash());
      assertThat(again.serverStateHash()).isEqualTo(o.serverStateHash());
      assertThat(o.stateBlob()).as("round %d", round).isNotNull();
      if (rejectedFrom == 0 && !o.rejected().isEmpty()) {
        rejectedFrom = round;
      }
      if (rejectedFrom > 0) {
        assertThat(o.rejected()).hasSize(1);
        assertThat(o.rejected().get(0).getUpdateHash())
            .isEqualTo(submissions.get(9).getUpdateHash());
        assertThat(o.rejected().get(0).getReason())
            .startsWith("excluded by dp-evidence: since round " + rejectedFrom);
      } else {
        assertThat(o.rejected()).isEmpty();
      }
      state = ServerState.decode(o.stateBlob());
    }
    assertThat(rejectedFrom).isBetween(1, 6);
  }

  /** Blobs from the local store only (no peers). */
  private static BlobSource localSource(BlobStore store) {
    return new BlobSource(
        new BlobClient(Ed25519KeyPair.fromSeed(new byte[32]), store, Clock.systemUTC()), List.of());
  }

  private RoundAggregation.Outcome run(String strategy, ServerState state, List<Submission> in) {
    return RoundAggregation.run(strategy, global, state, members, in, fetched, Map.of());
  }
}
