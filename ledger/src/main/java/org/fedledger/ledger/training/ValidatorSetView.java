package org.fedledger.ledger.training;

import java.util.List;
import org.fedledger.ledger.ValidatorInfo;
import org.fedledger.ledger.module.ExecutionContext;

/** The current validator set (sorted by public key), as the validators module keeps it. */
@FunctionalInterface
public interface ValidatorSetView {
  List<ValidatorInfo> validators(ExecutionContext ctx);
}
