package org.fedledger.ledger.registry;

import java.util.Optional;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.registry.Dataset;
import org.fedledger.core.proto.registry.Model;
import org.fedledger.core.proto.registry.PrivacyAccount;
import org.fedledger.core.proto.registry.PrivacyBudget;
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

  /**
   * A budgeted dataset's privacy account in committed state (zeros before its first DP job); empty
   * for an unknown dataset or one without a budget.
   */
  Optional<PrivacyAccount> privacyAccount(QueryContext ctx, String datasetId);

  /**
   * Reserves a DP job's whole (epsilon, delta) on a budgeted dataset ({@link
   * PrivacyAccounts#reserve}).
   *
   * @throws TxFailedException INVALID_MESSAGE if the dataset has no budget or its remainder cannot
   *     cover the cost
   */
  void reservePrivacy(ExecutionContext ctx, String datasetId, Hash jobId, PrivacyBudget cost)
      throws TxFailedException;

  /**
   * Spends the dataset's {@code update}-th update (1-based) of a DP job at the cumulative cost of
   * all its updates so far ({@link PrivacyAccounts#spend}).
   *
   * @throws TxFailedException INVALID_MESSAGE if that update was already spent, the job holds no
   *     reservation, or the budget cannot cover the update
   */
  void spendPrivacy(
      ExecutionContext ctx, String datasetId, Hash jobId, long update, PrivacyBudget cumulative)
      throws TxFailedException;

  /** Hands back what a finished job held beyond its spending; no-op without a reservation. */
  void releasePrivacy(ExecutionContext ctx, String datasetId, Hash jobId);
}
