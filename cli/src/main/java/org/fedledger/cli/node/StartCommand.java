package org.fedledger.cli.node;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "start",
    mixinStandardHelpOptions = true,
    description = {
      "Start a validator: Raft consensus and the REST API, as configured in its node.json.",
      "Runs until stopped (Ctrl-C or SIGTERM), then shuts down cleanly."
    })
public final class StartCommand implements Callable<Integer> {
  @Option(names = "--config", required = true, description = "The node's configuration file.")
  Path config;

  @Override
  public Integer call() throws Exception {
    throw new IllegalStateException("node start is not wired yet (waiting for consensus)");
  }
}
