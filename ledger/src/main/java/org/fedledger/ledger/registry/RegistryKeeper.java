package org.fedledger.ledger.registry;

import java.util.Optional;
import org.fedledger.core.proto.registry.Dataset;
import org.fedledger.core.proto.registry.Model;
import org.fedledger.ledger.module.ExecutionContext;
import org.fedledger.ledger.module.QueryContext;
import org.fedledger.ledger.module.TxFailedException;

/** What other modules may do with the registry. */
public interface RegistryKeeper {
  Optional<Dataset> dataset(ExecutionContext ctx, String datasetId);

  /** The dataset in committed state (for mempool admission checks). */
  Optional<Dataset> dataset(QueryContext ctx, String datasetId);

  Optional<Model> model(ExecutionContext ctx, String modelId);

  /** The model in committed state (for queries and mempool admission checks). */
  Optional<Model> model(QueryContext ctx, String modelId);

  /**
   * Registers a model and emits {@code registry/ModelRegistered}.
   *
   * @throws TxFailedException INVALID_MESSAGE if the id is taken or the parent does not exist
   */
  void registerModel(ExecutionContext ctx, Model model) throws TxFailedException;
}
