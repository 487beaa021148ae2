package org.fedledger.learning.simulation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.fedledger.core.hash.Sha256;
import org.fedledger.learning.aggregate.ServerState;
import org.fedledger.learning.io.Safetensors;
import org.fedledger.learning.io.WeightsHash;
import org.fedledger.learning.tensor.Weights;
import org.fedledger.learning.train.LearningRateSchedule;

/**
 * Where a simulation stands after a finished round: enough to continue it later with exactly the
 * result of an uninterrupted run (every per-round random choice derives from the seed and the
 * round, so the global weights and the server optimizer state are all that carries over).
 *
 * <p>On disk, in one directory: {@code weights-R.safetensors} and {@code server-state-R.bin} for
 * round R, then {@code checkpoint.json} naming them and their SHA-256, replaced atomically last; so
 * a run killed while saving leaves the previous checkpoint intact.
 *
 * @param configKey the configuration it belongs to, except the number of rounds (a run may be
 *     extended) and the thread count (results do not depend on it)
 * @param round the last finished round
 * @param initialAccuracy test accuracy before round 1
 * @param initialLoss test loss before round 1
 * @param seconds wall-clock seconds spent so far, over every run that contributed
 * @param rounds the finished rounds' results, in order
 */
public record SimulationCheckpoint(
    String configKey,
    int round,
    double initialAccuracy,
    double initialLoss,
    double seconds,
    List<RoundResult> rounds,
    Weights global,
    ServerState state) {

  static final String FILE = "checkpoint.json";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public SimulationCheckpoint {
    rounds = List.copyOf(rounds);
    if (rounds.size() != round) {
      throw new IllegalArgumentException(
          "a checkpoint after round " + round + " needs " + round + " round results");
    }
  }

  /** What checkpoint.json holds; the tensors are in the files it names. */
  record Manifest(
      String configKey,
      int round,
      double initialAccuracy,
      double initialLoss,
      double seconds,
      List<RoundResult> rounds,
      String weightsFile,
      String weightsHash,
      String stateFile,
      String stateSha256) {}

  /** The part of a configuration a checkpoint must match to be continued. */
  static String keyOf(SimulationConfig c) {
    // Own data adds its schema's hash; Fashion-MNIST runs keep the key they always had.
    String schema = c.schema().map(s -> " schema=" + s.hash().toHex()).orElse("");
    // So do a schedule and FedProx: a run without them keeps its old key.
    String schedule =
        c.learningRateSchedule().equals(LearningRateSchedule.CONSTANT.toString())
            ? ""
            : " lr-schedule=" + c.learningRateSchedule();
    String prox = c.proxMu() == 0 ? "" : " prox-mu=" + c.proxMu();
    return String.format(
            Locale.ROOT,
            "clients=%d fraction=%s partition=%s model=%s strategy=%s local-epochs=%d batch=%d lr=%s"
                + " malicious=%s attack=%s data=%s seed=%d train-limit=%d test-limit=%d loo=%s",
            c.clients(),
            c.fraction(),
            c.partition(),
            c.model(),
            c.strategy(),
            c.localEpochs(),
            c.batchSize(),
            c.learningRate(),
            c.maliciousFraction(),
            c.attack(),
            c.dataDir().map(p -> p.toAbsolutePath().normalize().toString()).orElse("embedded"),
            c.seed(),
            c.trainLimit(),
            c.testLimit(),
            c.leaveOneOut())
        + schema
        + schedule
        + prox;
  }

  /** Saves this checkpoint in dir (created if needed), then removes older rounds' files. */
  public void save(Path dir) {
    try {
      Files.createDirectories(dir);
      String weightsFile = "weights-" + round + ".safetensors";
      String stateFile = "server-state-" + round + ".bin";
      Safetensors.write(global, java.util.Map.of(), dir.resolve(weightsFile));
      byte[] encodedState = state.encode();
      Files.write(dir.resolve(stateFile), encodedState);
      Manifest manifest =
          new Manifest(
              configKey,
              round,
              initialAccuracy,
              initialLoss,
              seconds,
              rounds,
              weightsFile,
              WeightsHash.of(global).toHex(),
              stateFile,
              Sha256.hash(encodedState).toHex());
      Path tmp = dir.resolve(FILE + ".tmp");
      JSON.writeValue(tmp.toFile(), manifest);
      try {
        Files.move(
            tmp,
            dir.resolve(FILE),
            StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING);
      }
      removeOtherRounds(dir, weightsFile, stateFile);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot save the checkpoint in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void removeOtherRounds(Path dir, String keepWeights, String keepState)
      throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        boolean roundFile =
            (name.startsWith("weights-") && name.endsWith(".safetensors"))
                || (name.startsWith("server-state-") && name.endsWith(".bin"));
        if (roundFile && !name.equals(keepWeights) && !name.equals(keepState)) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  /**
   * The checkpoint in dir for this configuration, or empty if dir holds none. A checkpoint of
   * another configuration, one past the configured rounds, or files that do not match their
   * recorded hashes are errors: continuing from them would silently give a different run.
   */
  public static Optional<SimulationCheckpoint> load(Path dir, SimulationConfig config) {
    Path file = dir.resolve(FILE);
    Manifest m;
    try {
      m = JSON.readValue(file.toFile(), Manifest.class);
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new IllegalArgumentException(file + " is not a simulation checkpoint: " + e, e);
    }
    String key = keyOf(config);
    if (!key.equals(m.configKey())) {
      throw new IllegalArgumentException(
          "the checkpoint in "
              + dir
              + " belongs to another configuration ("
              + m.configKey()
              + "), not this one ("
              + key
              + "); use another checkpoint directory");
    }
    if (m.round() > config.rounds()) {
      throw new IllegalArgumentException(
          "the checkpoint in "
              + dir
              + " is after round "
              + m.round()
              + ", past the "
              + config.rounds()
              + " rounds asked for");
    }
    try {
      Weights global = Safetensors.read(dir.resolve(m.weightsFile()));
      if (!WeightsHash.of(global).toHex().equals(m.weightsHash())) {
        throw new IllegalArgumentException(
            dir.resolve(m.weightsFile()) + " does not match the hash in " + file);
      }
      byte[] encodedState = Files.readAllBytes(dir.resolve(m.stateFile()));
      if (!Sha256.hash(encodedState).toHex().equals(m.stateSha256())) {
        throw new IllegalArgumentException(
            dir.resolve(m.stateFile()) + " does not match the hash in " + file);
      }
      return Optional.of(
          new SimulationCheckpoint(
              m.configKey(),
              m.round(),
              m.initialAccuracy(),
              m.initialLoss(),
              m.seconds(),
              m.rounds(),
              global,
              ServerState.decode(encodedState)));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the checkpoint in " + dir + ": " + e.getMessage(), e);
    }
  }
}
