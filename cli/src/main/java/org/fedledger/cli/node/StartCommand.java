package org.fedledger.cli.node;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.fedledger.node.FedledgerNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "start",
    mixinStandardHelpOptions = true,
    description = {
      "Start a validator: Raft consensus and the REST API, as configured in its node.json, and"
          + " with a blobAddress its blob server and training agents: aggregator and verifier,"
          + " and a participant for each data owner in \"participants\".",
      "Runs until stopped (Ctrl-C or SIGTERM), then shuts down cleanly."
    })
public final class StartCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(StartCommand.class);

  /** The exit status of a node whose Raft stopped under it (a storage failure): EX_SOFTWARE. */
  static final int EXIT_RAFT_STOPPED = 70;

  @Option(names = "--config", required = true, description = "The node's configuration file.")
  Path config;

  @Override
  public Integer call() throws Exception {
    FedledgerNode node = FedledgerNode.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    // SIGTERM and Ctrl-C run shutdown hooks: close the API, then Raft and the database, so the
    // next start recovers from a clean state instead of replaying a torn write.
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .name("fedledger-shutdown")
                .unstarted(
                    () -> {
                      try {
                        node.close();
                      } finally {
                        stopped.countDown();
                      }
                    }));
    // Fail-stop: a node whose Raft stopped (a full or failing disk) must not keep admitting and
    // serving. halt, not exit: the shutdown hook would wait on a Raft server that is gone, and what
    // was stored is durable (the next start replays the Raft log).
    var unused =
        node.consensus()
            .raftStopped()
            .thenAccept(
                reason -> {
                  LOG.error(
                      "the node stops (exit status {}): {}. Fix the cause (free disk space, or"
                          + " replace a failing disk), then start the node again; it catches up"
                          + " from its peers. See docs/faults.md",
                      EXIT_RAFT_STOPPED,
                      reason);
                  Runtime.getRuntime().halt(EXIT_RAFT_STOPPED);
                });
    stopped.await();
    return 0;
  }
}
