package org.fedledger.cli.validator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.fedledger.core.crypto.Ed25519PublicKey;
import org.fedledger.core.proto.validators.RemoveValidator;
import org.fedledger.ledger.ValidatorInfo;
import org.fedledger.ledger.validators.ValidatorsModule;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "remove",
    mixinStandardHelpOptions = true,
    description = {
      "Remove a validator: the admin's RemoveValidator transaction, waited for until it is in a"
          + " block. The leader then removes its Raft peer (a leader that is removed first hands"
          + " leadership over); --wait waits for that too. Stop the removed node afterwards.",
      "The last validator cannot be removed."
    })
public final class ValidatorRemoveCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ValidatorChange change;

  @ArgGroup(exclusive = true, multiplicity = "1")
  ValidatorKeyOption validator;

  @Option(
      names = "--wait",
      description =
          "Also wait until its Raft peer left the group (ask another node than the one removed).")
  boolean waitForGroup;

  @Override
  public Integer call() throws Exception {
    Ed25519PublicKey key = validator.publicKey(spec);
    // Remembered before it goes, to recognise its Raft peer afterwards.
    Optional<ValidatorInfo> before = NetworkView.read(change.client()).validator(key);
    RemoveValidator remove = RemoveValidator.newBuilder().setPublicKey(key.toByteString()).build();
    ObjectNode out =
        ValidatorChange.output(change.commit(ValidatorsModule.REMOVE_VALIDATOR, remove));
    out.put("publicKey", key.toHex());
    if (waitForGroup && before.isPresent()) {
      ValidatorInfo gone = before.get();
      NetworkView.await(
          change.client(),
          view -> view.memberOf(gone).isEmpty(),
          change.timeout(),
          "RemoveValidator is committed, but after "
              + change.timeoutSeconds
              + " s its Raft peer at "
              + gone.raftAddress()
              + " is still a member as --node sees it; the leader's log says what it tried");
      out.put("leftRaftGroup", true);
    }
    ValidatorChange.print(spec, out);
    return 0;
  }
}
