package org.fedledger.cli.init;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fedledger.node.config.GenesisDocument;
import org.fedledger.node.config.NetworkInitializer;
import org.fedledger.node.config.NodeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = {
      "Create a new network: validator keys, an admin key, funded accounts, genesis.json and"
          + " one node configuration per validator.",
      "Keys are written readable by you only (0600) in directories only you can enter (0700).",
      "Validator I gets API port BASE+2I and Raft port BASE+2I+1 on 127.0.0.1."
    })
public final class InitCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--validators", defaultValue = "1", description = "Validators (default: 1).")
  int validators;

  @Option(names = "--chain-id", required = true, description = "The network's name.")
  String chainId;

  @Option(names = "--dir", required = true, description = "Directory to create the network in.")
  Path dir;

  @Option(
      names = "--base-port",
      defaultValue = "7700",
      description = "First port to use (default: 7700).")
  int basePort;

  @Option(
      names = "--accounts",
      defaultValue = "0",
      description = "Funded accounts besides the admin (default: 0).")
  int accounts;

  @Option(
      names = "--balance",
      defaultValue = "1000000000",
      description = "Balance of the admin and each account (default: 1000000000).")
  long balance;

  @Override
  public Integer call() throws Exception {
    NetworkInitializer.Network network =
        NetworkInitializer.initialize(
            new NetworkInitializer.Request(
                dir,
                chainId,
                validators,
                accounts,
                balance,
                NetworkInitializer.Request.consecutivePorts(basePort),
                NodeConfig.BlockParams.DEFAULT,
                System.currentTimeMillis()));
    var out = spec.commandLine().getOut();
    out.println("Created network '" + chainId + "' in " + network.dir());
    out.println("  genesis:   " + network.genesisFile());
    out.println("  admin key: " + network.adminKeyFile());
    for (Path k : network.accountKeyFiles()) {
      out.println("  account:   " + k);
    }
    for (int i = 0; i < network.configFiles().size(); i++) {
      GenesisDocument.Validator v = network.genesis().validators().get(i);
      out.println(
          "  "
              + v.id()
              + ": api http://"
              + v.apiAddress()
              + "  raft "
              + v.raftAddress()
              + "  config "
              + network.configFiles().get(i));
    }
    out.println("Start each node with: fedledger node start --config <config>");
    out.flush();
    return 0;
  }
}
