package org.fedledger.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.proto.registry.Score;
import org.fedledger.core.proto.training.Rejection;
import org.fedledger.core.proto.training.Submission;
import org.fedledger.learning.aggregate.VectorMath;
import org.fedledger.learning.io.Safetensors;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.learning.model.Models;
import org.fedledger.learning.tensor.Weights;
import org.junit.jupiter.api.Test;

class RoundAggregationTest {
  private final Weights global = Models.initialWeights(ModelSpecs.preset("logreg"), 3);
  private final List<Submission> submissions = new ArrayList<>();
  private final Map<ByteString, Weights> fetched = new HashMap<>();

  private void add(int participant, Weights delta) {
    ByteString hash = ByteString.copyFrom(Sha256.hash(Safetensors.write(delta)).toByteArray());
    byte[] address = new byte[20];
    address[19] = (byte) participant;
    submissions.add(
        Submission.newBuilder()
            .setParticipant(ByteString.copyFrom(address))
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
    RoundAggregation.Outcome a =
        RoundAggregation.run("multi-krum:4:1", global, submissions, fetched, Map.of());
    RoundAggregation.Outcome b =
        RoundAggregation.run(
            "multi-krum:4:1", global, submissions, new HashMap<>(fetched), Map.of());
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
            "fedavg", global, submissions, fetched, Map.of(missing, "blob hash mismatch: x"));
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
    assertThatThrownBy(() -> RoundAggregation.run("fedavg", global, submissions, fetched, Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("none of the 1 updates");
  }
}
