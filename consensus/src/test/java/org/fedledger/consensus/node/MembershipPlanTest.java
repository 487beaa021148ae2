package org.fedledger.consensus.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.fedledger.consensus.node.MembershipPlan.Step;
import org.fedledger.consensus.testing.Chains;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.ledger.ValidatorInfo;
import org.junit.jupiter.api.Test;

/** The step from a Raft configuration to the chain's validator set, computed without Raft. */
class MembershipPlanTest {
  private static final List<Ed25519KeyPair> KEYS = Chains.keys(5, 42);

  /** Peers as {@code fedledger init} names them: node-i at 127.0.0.1:700i. */
  private static PeerAddress node(int i) {
    return new PeerAddress("node-" + i, "127.0.0.1", 7000 + i);
  }

  private static ValidatorInfo validator(int i, String raftAddress) {
    return new ValidatorInfo(KEYS.get(i).publicKey(), 1, raftAddress, "127.0.0.1:1");
  }

  private static ValidatorInfo validator(int i) {
    return validator(i, "127.0.0.1:" + (7000 + i));
  }

  private static List<ValidatorInfo> validators(int... indexes) {
    List<ValidatorInfo> out = new ArrayList<>();
    for (int i : indexes) {
      out.add(validator(i));
    }
    return out;
  }

  private static MembershipPlan plan(
      List<PeerAddress> members, List<ValidatorInfo> validators, String selfId) {
    return MembershipPlan.of(members, validators, selfId);
  }

  private static String idOf(int i) {
    return MembershipPlan.peerIdOf(KEYS.get(i).publicKey());
  }

  @Test
  void genesisPeersAreMatchedByAddressSoTheirIdsStay() {
    MembershipPlan plan = plan(List.of(node(0), node(1), node(2)), validators(0, 1, 2), "node-0");
    assertThat(plan.step()).isEqualTo(Step.IN_SYNC);
  }

  @Test
  void aValidatorAddedOnChainJoinsUnderItsPeerId() {
    MembershipPlan plan =
        plan(List.of(node(0), node(1), node(2)), validators(0, 1, 2, 3), "node-0");
    assertThat(plan.step()).isEqualTo(Step.ADD);
    assertThat(plan.changed()).containsExactly(new PeerAddress(idOf(3), "127.0.0.1", 7003));
    assertThat(plan.next()).hasSize(4).containsAll(plan.current());
    assertThat(idOf(3)).isEqualTo("v-" + KEYS.get(3).publicKey().toHex().substring(0, 16));
  }

  @Test
  void aJoinedPeerIsMatchedByItsIdAndHostNamesIgnoreCase() {
    PeerAddress joined = new PeerAddress(idOf(3), "10.0.0.9", 7003);
    PeerAddress upper = new PeerAddress("node-1", "LOCALHOST", 7001);
    List<ValidatorInfo> set =
        List.of(validator(0), validator(1, "localhost:7001"), validator(3, "127.0.0.1:7003"));
    assertThat(plan(List.of(node(0), upper, joined), set, "node-0").step()).isEqualTo(Step.IN_SYNC);
  }

  @Test
  void validatorsAreAddedOneAtATime() {
    MembershipPlan plan = plan(List.of(node(0)), validators(0, 1, 2, 3), "node-0");
    assertThat(plan.step()).isEqualTo(Step.ADD);
    assertThat(plan.changed()).hasSize(1);
  }

  @Test
  void formerValidatorsAreRemovedBeforeAnyoneIsAdded() {
    PeerAddress joined = new PeerAddress(idOf(3), "127.0.0.1", 7003);
    MembershipPlan plan =
        plan(List.of(node(0), node(1), node(2), joined), validators(0, 1, 4), "node-0");
    assertThat(plan.step()).isEqualTo(Step.REMOVE);
    assertThat(plan.changed()).containsExactly(node(2), joined);
    assertThat(plan.next()).containsExactly(node(0), node(1));
  }

  @Test
  void aMemberThatIsNoValidatorIsRemovedEvenIfItNeverWasOne() {
    // Whoever put it there (by hand, or an intruder who reached Raft): the chain decides who votes.
    PeerAddress intruder = new PeerAddress("intruder", "127.0.0.1", 7100);
    PeerAddress misconfigured = new PeerAddress("node-2", "10.0.0.2", 7002);
    MembershipPlan plan =
        plan(List.of(node(0), node(1), misconfigured, intruder), validators(0, 1), "node-0");
    assertThat(plan.step()).isEqualTo(Step.REMOVE);
    assertThat(plan.changed()).containsExactlyInAnyOrder(intruder, misconfigured);
    assertThat(plan.next()).containsExactly(node(0), node(1));
  }

  @Test
  void anUnusableRaftAddressOnChainStandsTheSyncDown() {
    MembershipPlan plan =
        plan(
            List.of(node(0), node(1)),
            List.of(validator(0), validator(1), validator(2, "nope")),
            "node-0");
    assertThat(plan.step()).isEqualTo(Step.STAND_DOWN);
    assertThat(plan.next()).isEqualTo(plan.current());
  }

  @Test
  void aLeaderThatIsNoValidatorHandsOverOnceTheOthersAreInPlace() {
    List<PeerAddress> group = List.of(node(0), node(1), node(2));
    MembershipPlan addFirst = plan(group, validators(1, 2, 3), "node-0");
    assertThat(addFirst.step()).isEqualTo(Step.ADD);

    MembershipPlan handOver = plan(group, validators(1, 2), "node-0");
    assertThat(handOver.step()).isEqualTo(Step.HAND_OVER);
    assertThat(handOver.next()).containsExactly(node(1), node(2));

    // The new leader, node-1, then removes node-0.
    MembershipPlan remove = plan(group, validators(1, 2), "node-1");
    assertThat(remove.step()).isEqualTo(Step.REMOVE);
    assertThat(remove.changed()).containsExactly(node(0));
  }

  @Test
  void aGroupThatNoValidatorDescribesIsLeftAlone() {
    // Test networks whose genesis lists placeholder addresses: membership is managed by hand.
    List<ValidatorInfo> placeholders =
        List.of(validator(0, "127.0.0.1:1"), validator(1, "127.0.0.1:1"));
    MembershipPlan plan = plan(List.of(node(0), node(1)), placeholders, "node-0");
    assertThat(plan.step()).isEqualTo(Step.BY_HAND);
    assertThat(plan.detail()).contains("none of the Raft members").contains("127.0.0.1:1");
    assertThat(plan.next()).isEqualTo(plan.current());
  }

  @Test
  void theSameViewGivesTheSameStepWhateverTheOrder() {
    MembershipPlan a = plan(List.of(node(2), node(0), node(1)), validators(0, 1, 3), "node-1");
    MembershipPlan b = plan(List.of(node(0), node(1), node(2)), validators(0, 1, 3), "node-1");
    assertThat(a).isEqualTo(b);
  }
}
