package org.fedledger.learning.client;

import java.util.Objects;
import java.util.Optional;
import org.fedledger.learning.aggregate.VectorMath;
import org.fedledger.learning.attack.Attack;
import org.fedledger.learning.attack.NoAttack;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.privacy.DpConfig;
import org.fedledger.learning.privacy.SecureNoise;
import org.fedledger.learning.tensor.Weights;
import org.fedledger.learning.train.LocalTrainer;
import org.fedledger.learning.train.TrainConfig;
import org.fedledger.learning.train.TrainResult;

/**
 * One client's round: poison the labels if the attack does, train from the global weights (with
 * DP-SGD if the job asks for it), take the delta, poison it if the attack does. The simulation and
 * the chain's participant agent both run this, so every attack behaves the same in both.
 *
 * <pre>{@code
 * ClientStep step = ClientStep.builder().setTrainConfig(config).optAttack(attack).build();
 * LocalUpdate update = step.run(trainer, global, data, new ClientSeeds(seed, round, client));
 * }</pre>
 */
public final class ClientStep {
  private final TrainConfig trainConfig;
  private final Attack attack;
  private final Optional<DpConfig> privacy;

  private ClientStep(Builder builder) {
    this.trainConfig = builder.trainConfig;
    this.attack = builder.attack;
    this.privacy = builder.privacy;
  }

  public static Builder builder() {
    return new Builder();
  }

  public TrainConfig trainConfig() {
    return trainConfig;
  }

  /** The client's attack, {@link NoAttack} for an honest client. */
  public Attack attack() {
    return attack;
  }

  /** DP-SGD's parameters when the job trains with differential privacy. */
  public Optional<DpConfig> privacy() {
    return privacy;
  }

  public boolean malicious() {
    return attack != NoAttack.INSTANCE;
  }

  /**
   * Trains with trainer (which this call uses and leaves open) from global on data.
   *
   * @throws IllegalArgumentException if the weights do not fit the trainer's model or the data is
   *     empty or of the wrong shape (from {@link LocalTrainer#train})
   */
  public LocalUpdate run(
      LocalTrainer trainer, Weights global, LabeledData data, ClientSeeds seeds) {
    LabeledData local = data;
    // labels() copies: only an attacker needs them. A regression has no labels to flip: its
    // attackers poison their updates only.
    if (malicious() && !data.isRegression()) {
      int[] labels = data.labels();
      int[] poisoned = attack.poisonLabels(labels, data.classCount());
      if (poisoned != labels) {
        local = data.withLabels(poisoned);
      }
    }
    // With DP the batches and the noise come from a fresh secure generator, never from the seeds:
    // a record is hidden only if nobody can replay which batches it joined or the noise added.
    TrainResult trained =
        privacy.isPresent()
            ? trainer.trainPrivately(
                global, local, trainConfig, privacy.get(), SecureNoise.create())
            : trainer.train(global, local, trainConfig, seeds.training());
    Weights delta = VectorMath.subtract(trained.weights(), global);
    delta = attack.poisonUpdate(delta, seeds.attack());
    return new LocalUpdate(delta, trained.sampleCount(), trained.meanLoss());
  }

  /** {@code set*} is required, {@code opt*} optional. */
  public static final class Builder {
    private TrainConfig trainConfig;
    private Attack attack = NoAttack.INSTANCE;
    private Optional<DpConfig> privacy = Optional.empty();

    private Builder() {}

    /** Epochs, batch size, optimiser, learning rate and μ of the local training. */
    public Builder setTrainConfig(TrainConfig config) {
      this.trainConfig = Objects.requireNonNull(config, "trainConfig");
      return this;
    }

    /** What the client does if malicious (default: nothing, an honest client). */
    public Builder optAttack(Attack attack) {
      this.attack = attack == null ? NoAttack.INSTANCE : attack;
      return this;
    }

    /**
     * Train with DP-SGD (per-example clipping, Poisson sampling, secure Gaussian noise); null or
     * absent trains without.
     */
    public Builder optPrivacy(DpConfig dp) {
      this.privacy = Optional.ofNullable(dp);
      return this;
    }

    public ClientStep build() {
      if (trainConfig == null) {
        throw new IllegalStateException(
            "a client step needs a train config: call setTrainConfig(...) before build()");
      }
      return new ClientStep(this);
    }
  }
}
