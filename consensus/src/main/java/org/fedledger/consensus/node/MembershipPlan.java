package org.fedledger.consensus.node;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.fedledger.core.crypto.Ed25519PublicKey;
import org.fedledger.ledger.ValidatorInfo;
import org.fedledger.ledger.validators.RaftAddress;

/**
 * The next step that brings a Raft group's voting members to the ledger's validator set; a pure
 * function of what Raft and the ledger say, so that any leader computes the same step from the same
 * view.
 *
 * <p>A member <em>is</em> a validator when its address is the validator's {@code raft_address} or
 * its id is {@link #peerIdOf the validator's peer id}. Matching by address keeps the ids that
 * {@code fedledger init} gave the genesis validators ("node-0", ...); a validator added on chain
 * joins under its peer id.
 *
 * <p>Steps, in order: remove the members that are no validators (except this node), whether they
 * once were or were put there some other way (by hand, or by anyone who could reach Raft); add one
 * missing validator (Ratis refuses to add a majority at once); if this node itself is no validator
 * any more, hand leadership over, so that the next leader removes it (a Ratis leader that removes
 * itself shuts its server down). If no member at all is a validator the chain does not describe
 * this group (test networks whose genesis lists placeholder addresses) and nothing is done.
 *
 * @param step what to do
 * @param current the voting members the step was computed from
 * @param next the members after the step: for {@link Step#HAND_OVER}, the members after this node
 *     leaves, any of whom may take over; otherwise equal to current unless the step changes them
 * @param detail for {@link Step#BY_HAND} and {@link Step#STAND_DOWN}, why; empty otherwise
 */
public record MembershipPlan(
    Step step, List<PeerAddress> current, List<PeerAddress> next, String detail) {

  /** What the leader does next. */
  public enum Step {
    /** Every validator is a voting member and every voting member a validator. */
    IN_SYNC,
    /**
     * No member is a validator: the chain does not describe this group (test networks whose genesis
     * lists placeholder addresses), whose membership is managed by hand.
     */
    BY_HAND,
    /** Nothing may be done: a validator's raft_address is unusable. */
    STAND_DOWN,
    /** Remove the members that are no validators, except this node. */
    REMOVE,
    /** Add one validator that is not a member. */
    ADD,
    /** This node is no validator any more: transfer leadership to one of {@code next}. */
    HAND_OVER
  }

  private static final String PEER_ID_PREFIX = "v-";

  /** Length of the public-key prefix (hex digits) in a peer id: 64 bits. */
  private static final int ID_HEX_DIGITS = 16;

  public MembershipPlan {
    Objects.requireNonNull(step, "step");
    current = List.copyOf(current);
    next = List.copyOf(next);
    Objects.requireNonNull(detail, "detail");
  }

  /**
   * The Raft peer id of a validator added on chain: "v-" and the first 16 hex digits of its public
   * key. A node started for it must use this id as its {@code nodeId}.
   */
  public static String peerIdOf(Ed25519PublicKey key) {
    return PEER_ID_PREFIX + key.toHex().substring(0, ID_HEX_DIGITS);
  }

  /** True if the Raft peer is this validator: same raft address, or the validator's peer id. */
  public static boolean isPeerOf(PeerAddress peer, ValidatorInfo v) {
    if (peer.id().equals(peerIdOf(v.publicKey()))) {
      return true;
    }
    try {
      return RaftAddress.parse(peer.address()).equals(RaftAddress.parse(v.raftAddress()));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * The next step for a leader.
   *
   * @param members the current voting members (a stable configuration)
   * @param validators the ledger's validator set
   * @param selfId the leader's peer id
   */
  public static MembershipPlan of(
      List<PeerAddress> members, List<ValidatorInfo> validators, String selfId) {
    List<PeerAddress> current =
        members.stream().sorted(Comparator.comparing(PeerAddress::id)).toList();
    List<PeerAddress> strangers =
        current.stream().filter(p -> validators.stream().noneMatch(v -> isPeerOf(p, v))).toList();
    if (strangers.size() == current.size()) {
      return new MembershipPlan(
          Step.BY_HAND,
          current,
          current,
          "none of the Raft members "
              + current
              + " is a validator on chain (by raft_address or peer id); the validators listen at "
              + validators.stream().map(ValidatorInfo::raftAddress).toList()
              + "; membership is managed by hand");
    }
    // Every member that is no validator goes, whether it once was one or was put there some other
    // way: Raft's membership is the chain's to decide, and a member nobody can attribute is the
    // first thing an intruder would add.
    List<PeerAddress> former = strangers;
    List<PeerAddress> leaving = former.stream().filter(p -> !p.id().equals(selfId)).toList();
    if (!leaving.isEmpty()) {
      return new MembershipPlan(Step.REMOVE, current, without(current, leaving), "");
    }
    for (ValidatorInfo v : validators) {
      if (current.stream().noneMatch(p -> isPeerOf(p, v))) {
        RaftAddress address;
        try {
          address = RaftAddress.parse(v.raftAddress());
        } catch (IllegalArgumentException e) {
          return standDown(current, "validator " + v.publicKey().toHex() + ": " + e.getMessage());
        }
        List<PeerAddress> next = new ArrayList<>(current);
        next.add(new PeerAddress(peerIdOf(v.publicKey()), address.host(), address.port()));
        return new MembershipPlan(Step.ADD, current, next, "");
      }
    }
    if (!former.isEmpty()) { // only this node is left to go
      return new MembershipPlan(Step.HAND_OVER, current, without(current, former), "");
    }
    return new MembershipPlan(Step.IN_SYNC, current, current, "");
  }

  /** The members the step adds (ADD) or removes (REMOVE); empty for the other steps. */
  public List<PeerAddress> changed() {
    if (step == Step.ADD) {
      return without(next, current);
    }
    if (step == Step.REMOVE) {
      return without(current, next);
    }
    return List.of();
  }

  private static List<PeerAddress> without(List<PeerAddress> all, List<PeerAddress> some) {
    return all.stream().filter(p -> !some.contains(p)).toList();
  }

  private static MembershipPlan standDown(List<PeerAddress> current, String why) {
    return new MembershipPlan(Step.STAND_DOWN, current, current, why);
  }
}
