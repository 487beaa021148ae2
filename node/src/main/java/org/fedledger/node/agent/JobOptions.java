package org.fedledger.node.agent;

import org.fedledger.learning.model.ModelSpec;

/**
 * What a {@link LocalTrainingNetwork} job asks for (see CreateJob for each field). Built with
 * {@link #builder()}: {@code set*} are required, {@code opt*} have the defaults their docs name,
 * and {@link Builder#build()} refuses what the chain would refuse.
 */
public final class JobOptions {
  public static final String USE = "model-training:fashion-mnist";

  /** The chain's bounds (ledger's JobRules), checked here so a bad job fails before it is sent. */
  private static final int MAX_STRATEGY_CHARS = 64;

  private static final long MAX_ATTEST_QUORUM = 1000;

  private final ModelSpec model;
  private final long rounds;
  private final long participantsPerRound;
  private final String strategy;
  private final long minUpdates;
  private final long reward;
  private final long stake;
  private final long roundBlocks;
  private final long commitBlocks;
  private final long attestQuorum;

  private JobOptions(Builder b) {
    this.model = b.model;
    this.rounds = b.rounds;
    this.participantsPerRound = b.participantsPerRound;
    this.strategy = b.strategy;
    this.minUpdates = b.minUpdates;
    this.reward = b.reward;
    this.stake = b.stake;
    this.roundBlocks = b.roundBlocks;
    this.commitBlocks = b.commitBlocks;
    this.attestQuorum = b.attestQuorum;
  }

  public static Builder builder() {
    return new Builder();
  }

  public ModelSpec model() {
    return model;
  }

  public long rounds() {
    return rounds;
  }

  public long participantsPerRound() {
    return participantsPerRound;
  }

  public String strategy() {
    return strategy;
  }

  /** Fewest updates a round may be committed with. */
  public long minUpdates() {
    return minUpdates;
  }

  /** Escrowed by the sponsor, paid out over the rounds. */
  public long reward() {
    return reward;
  }

  /** What each owner bonds when it joins. */
  public long stake() {
    return stake;
  }

  /** Blocks a round stays open for updates. */
  public long roundBlocks() {
    return roundBlocks;
  }

  /** Blocks the aggregator has to commit, and verifiers to attest, after updates close. */
  public long commitBlocks() {
    return commitBlocks;
  }

  /** Matching attestations that finalize a round; 0 is a majority of the validators. */
  public long attestQuorum() {
    return attestQuorum;
  }

  /** DJL-style: {@code set*} required, {@code opt*} optional, {@link #build()} validates. */
  public static final class Builder {
    private ModelSpec model;
    private long rounds;
    private long participantsPerRound;
    private String strategy;
    private long minUpdates = 1;
    private long reward = 1_000_000;
    private long stake = 10_000;
    private long roundBlocks = 300;
    private long commitBlocks = 300;
    private long attestQuorum;

    private Builder() {}

    /** Required: the model every participant trains. */
    public Builder setModel(ModelSpec model) {
      this.model = model;
      return this;
    }

    /** Required: at least 1. */
    public Builder setRounds(long rounds) {
      this.rounds = rounds;
      return this;
    }

    /** Required: at least 1. */
    public Builder setParticipantsPerRound(long participantsPerRound) {
      this.participantsPerRound = participantsPerRound;
      return this;
    }

    /** Required: the aggregation strategy, e.g. "fedavg" or "multi-krum:3:1". */
    public Builder setStrategy(String strategy) {
      this.strategy = strategy;
      return this;
    }

    /** Default 1; at most the participants per round. */
    public Builder optMinUpdates(long minUpdates) {
      this.minUpdates = minUpdates;
      return this;
    }

    /** Default 1,000,000; at least 1. */
    public Builder optReward(long reward) {
      this.reward = reward;
      return this;
    }

    /** Default 10,000; not negative. */
    public Builder optStake(long stake) {
      this.stake = stake;
      return this;
    }

    /** Default 300; at least 1. */
    public Builder optRoundBlocks(long roundBlocks) {
      this.roundBlocks = roundBlocks;
      return this;
    }

    /** Default 300; at least 1. */
    public Builder optCommitBlocks(long commitBlocks) {
      this.commitBlocks = commitBlocks;
      return this;
    }

    /**
     * Default 0, a majority of the validators; 1 lets a job survive a stopped validator in a
     * three-validator network.
     */
    public Builder optAttestQuorum(long attestQuorum) {
      this.attestQuorum = attestQuorum;
      return this;
    }

    /**
     * The options, if the chain would accept them.
     *
     * @throws IllegalArgumentException naming the first option that is missing or out of range
     */
    public JobOptions build() {
      if (model == null) {
        throw new IllegalArgumentException("job options: the model is required (setModel)");
      }
      if (strategy == null || strategy.isEmpty() || strategy.length() > MAX_STRATEGY_CHARS) {
        throw new IllegalArgumentException(
            "job options: the strategy is required (setStrategy), 1-"
                + MAX_STRATEGY_CHARS
                + " characters, e.g. \"fedavg\"; got "
                + (strategy == null ? "none" : "\"" + strategy + "\""));
      }
      atLeast("rounds (setRounds)", rounds, 1);
      atLeast("participants per round (setParticipantsPerRound)", participantsPerRound, 1);
      atLeast("min updates (optMinUpdates)", minUpdates, 1);
      if (minUpdates > participantsPerRound) {
        throw new IllegalArgumentException(
            "job options: min updates ("
                + minUpdates
                + ") cannot exceed the participants per round ("
                + participantsPerRound
                + "); lower optMinUpdates or raise setParticipantsPerRound");
      }
      atLeast("reward (optReward)", reward, 1);
      atLeast("stake (optStake)", stake, 0);
      atLeast("round blocks (optRoundBlocks)", roundBlocks, 1);
      atLeast("commit blocks (optCommitBlocks)", commitBlocks, 1);
      atLeast("attest quorum (optAttestQuorum)", attestQuorum, 0);
      if (attestQuorum > MAX_ATTEST_QUORUM) {
        throw new IllegalArgumentException(
            "job options: attest quorum must be at most "
                + MAX_ATTEST_QUORUM
                + ", got "
                + attestQuorum);
      }
      return new JobOptions(this);
    }

    private static void atLeast(String what, long value, long min) {
      if (value < min) {
        throw new IllegalArgumentException(
            "job options: " + what + " must be at least " + min + ", got " + value);
      }
    }
  }
}
