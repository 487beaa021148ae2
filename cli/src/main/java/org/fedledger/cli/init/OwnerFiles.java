package org.fedledger.cli.init;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fedledger.node.config.NodeConfig;

/**
 * Points the owners' agents of a new network at data of their own ({@code init --owner-data} and
 * {@code --owner-schema}): each node's {@code participants[].dataDir} and {@code schema}, written
 * relative to the node's directory as init writes its other paths. Owners with data of their own
 * hold no Fashion-MNIST test part, so the nodes then score no central test set ({@code
 * evaluationDataDir} is dropped); a job's metrics are the owners' federated evaluations.
 *
 * @param dataPattern where owner K's data is, {@link #OWNER} standing for K; null: init's default
 * @param schema the schema file every owner's data is read under; null: the default beside the data
 */
record OwnerFiles(String dataPattern, Path schema) {
  /** What stands for the owner's number in the pattern. */
  static final String OWNER = "{k}";

  /** Rewrites the configurations; owner k runs in node k mod N, as init placed it. */
  void configure(List<Path> configFiles) throws IOException {
    int validators = configFiles.size();
    for (int i = 0; i < validators; i++) {
      Path file = configFiles.get(i);
      Path nodeDir = file.toAbsolutePath().getParent();
      NodeConfig c = NodeConfig.load(file);
      List<NodeConfig.Participant> placed = new ArrayList<>();
      int k = i;
      for (NodeConfig.Participant p : c.participants()) {
        placed.add(
            new NodeConfig.Participant(
                p.keyFile(),
                dataPattern == null
                    ? p.dataDir()
                    : relative(nodeDir, Path.of(dataPattern.replace(OWNER, Integer.toString(k)))),
                p.name(),
                schema == null ? p.schema() : relative(nodeDir, schema),
                p.attack()));
        k += validators;
      }
      NodeConfig placedConfig = c.withParticipants(placed);
      if (dataPattern != null) {
        placedConfig = placedConfig.withEvaluationDataDir(null);
      }
      placedConfig.save(file);
    }
  }

  private static String relative(Path from, Path to) {
    return from.relativize(to.toAbsolutePath().normalize()).toString();
  }
}
