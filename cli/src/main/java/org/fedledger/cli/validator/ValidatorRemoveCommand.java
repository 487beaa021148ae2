package org.fedledger.cli.validator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.fedledger.cli.chain.NodeOption;
import org.fedledger.cli.client.NodeClient;
import org.fedledger.cli.job.ChainTx;
import org.fedledger.core.crypto.Ed25519PublicKey;
import org.fedledger.core.proto.validators.RemoveValidator;
import org.fedledger.ledger.ValidatorInfo;
import org.fedledger.ledger.validators.ValidatorsModule;
import org.fedledger.node.keys.KeyFile;
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
  @Mixin NodeOption node;

  @Option(names = "--key", required = true, description = "The admin's key file.")
  Path adminKey;

  @ArgGroup(exclusive = true, multiplicity = "1")
  ValidatorKeyOption validator;

  @Option(
      names = "--wait",
      description =
          "Also wait until its Raft peer left the group (ask another node than the one removed).")
  boolean waitForGroup;

  @Option(
      names = "--timeout",
      defaultValue = "60",
      description = "Seconds to wait for the commit, and again with --wait (default: 60).")
  int timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    Ed25519PublicKey key = validator.publicKey(spec);
    NodeClient client = node.client();
    Duration timeout = Duration.ofSeconds(timeoutSeconds);
    // Remembered before it goes, to recognise its Raft peer; an unknown validator is refused by
    // the node's admission check, which changes nothing.
    Optional<ValidatorInfo> before = NetworkView.read(client).validator(key);
    RemoveValidator remove =
        RemoveValidator.newBuilder().setPublicKey(ByteString.copyFrom(key.toByteArray())).build();
    JsonNode committed =
        new ChainTx(client, KeyFile.load(adminKey))
            .submitAndWait(
                ValidatorsModule.NAME, ValidatorsModule.REMOVE_VALIDATOR, remove, timeout);

    ObjectNode out = NodeClient.JSON.createObjectNode();
    out.put("hash", committed.path("hash").asText());
    out.put("height", committed.path("height").asLong());
    out.put("publicKey", key.toHex());
    if (waitForGroup && before.isPresent()) {
      ValidatorInfo gone = before.get();
      NetworkView.await(
          client,
          view -> view.memberOf(gone).isEmpty(),
          timeout,
          "RemoveValidator is committed, but after "
              + timeoutSeconds
              + " s its Raft peer at "
              + gone.raftAddress()
              + " is still a member as --node sees it; the leader's log says what it tried");
      out.put("leftRaftGroup", true);
    }
    spec.commandLine().getOut().println(NodeClient.pretty(out));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
