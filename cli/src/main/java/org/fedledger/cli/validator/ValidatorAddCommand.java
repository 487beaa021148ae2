package org.fedledger.cli.validator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.fedledger.consensus.node.MembershipPlan;
import org.fedledger.consensus.node.PeerAddress;
import org.fedledger.core.crypto.Ed25519PublicKey;
import org.fedledger.core.proto.validators.AddValidator;
import org.fedledger.core.proto.validators.ValidatorRecord;
import org.fedledger.ledger.ValidatorInfo;
import org.fedledger.ledger.validators.RaftAddress;
import org.fedledger.ledger.validators.ValidatorsModule;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "add",
    mixinStandardHelpOptions = true,
    description = {
      "Add a validator (or change the power of one): the admin's AddValidator transaction, waited"
          + " for until it is in a block. The leader then adds the validator's Raft peer; --wait"
          + " waits for that too.",
      "The new node must run at --raft-address with nodeId = its peer id (\"v-\" and the first 16"
          + " hex digits of its public key, printed as peerId), its config listing the group and"
          + " itself; it may start before or after this command."
    })
public final class ValidatorAddCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ValidatorChange change;

  @ArgGroup(exclusive = true, multiplicity = "1")
  ValidatorKeyOption validator;

  @Option(
      names = "--raft-address",
      required = true,
      description = "host:port where the validator's Raft server listens.")
  String raftAddress;

  @Option(
      names = "--api-address",
      defaultValue = "",
      description = "host:port of the validator's REST API, for clients (optional).")
  String apiAddress;

  @Option(names = "--power", defaultValue = "1", description = "Voting power, at least 1.")
  long power;

  @Option(names = "--wait", description = "Also wait until the validator is in the Raft group.")
  boolean waitForGroup;

  @Override
  public Integer call() throws Exception {
    RaftAddress address;
    try {
      address = RaftAddress.parse(raftAddress);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--raft-address: " + e.getMessage());
    }
    if (power < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--power must be at least 1");
    }
    Ed25519PublicKey key = validator.publicKey(spec);
    AddValidator add =
        AddValidator.newBuilder()
            .setValidator(
                ValidatorRecord.newBuilder()
                    .setPublicKey(key.toByteString())
                    .setPower(power)
                    .setRaftAddress(address.toString())
                    .setApiAddress(apiAddress))
            .build();
    JsonNode committed = change.commit(ValidatorsModule.ADD_VALIDATOR, add);

    ValidatorInfo added = new ValidatorInfo(key, power, address.toString(), apiAddress);
    String peerId = MembershipPlan.peerIdOf(key);
    Optional<PeerAddress> member = Optional.empty();
    if (waitForGroup) {
      member =
          NetworkView.await(
                  change.client(),
                  view -> view.memberOf(added).isPresent(),
                  change.timeout(),
                  "AddValidator is committed, but after "
                      + change.timeoutSeconds
                      + " s the Raft group still lacks "
                      + peerId
                      + " at "
                      + address
                      + ": is the node running there with nodeId "
                      + peerId
                      + "? The leader's log says what it tried")
              .memberOf(added);
    }
    ObjectNode out = ValidatorChange.output(committed);
    ObjectNode v = NetworkView.describe(added, member);
    v.put("peerId", peerId);
    out.set("validator", v);
    ValidatorChange.print(spec, out);
    return 0;
  }
}
