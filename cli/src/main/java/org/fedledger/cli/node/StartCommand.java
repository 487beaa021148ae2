package org.fedledger.cli.node;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.fedledger.node.FedledgerNode;
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
    stopped.await();
    return 0;
  }
}
