package org.fedledger.cli.job;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.fedledger.cli.CommandFailedException;
import org.fedledger.cli.chain.NodeOption;
import org.fedledger.cli.client.NodeClient;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.training.JoinJob;
import org.fedledger.ledger.training.TrainingMessages;
import org.fedledger.node.keys.KeyFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fedledger job join JOB_ID}: a data owner joins with a registered dataset and stake. */
@Command(
    name = "join",
    mixinStandardHelpOptions = true,
    description = "Join an open job with a dataset you registered, bonding and locking stake.")
public final class JobJoinCommand implements Callable<Integer> {
  private static final int JOB_WAIT_SECONDS = 10;

  @Spec CommandSpec spec;
  @Mixin NodeOption node;

  @Parameters(index = "0", paramLabel = "JOB_ID", description = "Job id, 64 hex digits.")
  String jobId;

  @Option(names = "--key", required = true, description = "Data owner's key file.")
  Path key;

  @Option(names = "--dataset", required = true, description = "Your registered dataset id.")
  String dataset;

  @Option(names = "--stake", required = true, description = "Stake to lock, at least the job's.")
  long stake;

  @Option(names = "--timeout", defaultValue = "60", description = "Seconds to wait.")
  int timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    Hash id = JobStatusCommand.parseJobId(spec, jobId);
    if (stake < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--stake must not be negative");
    }
    NodeClient client = node.client();
    awaitJob(client, id);
    new ChainTx(client, KeyFile.load(key))
        .submitAndWait(
            TrainingMessages.MODULE,
            TrainingMessages.JOIN_JOB,
            JoinJob.newBuilder()
                .setJobId(id.toByteString())
                .setDatasetId(dataset)
                .setStake(stake)
                .build(),
            Duration.ofSeconds(timeoutSeconds));
    spec.commandLine().getOut().println("joined job " + id.toHex() + " with " + dataset);
    spec.commandLine().getOut().flush();
    return 0;
  }

  /**
   * The node admits a JoinJob against its own committed state: a job created through another node
   * may take a moment to reach this one, so wait a little for it before submitting.
   */
  private static void awaitJob(NodeClient client, Hash id) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(JOB_WAIT_SECONDS);
    while (client.get("/v1/jobs/" + id.toHex()).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new CommandFailedException(
            "the node knows no job "
                + id.toHex()
                + " (waited "
                + JOB_WAIT_SECONDS
                + " s); check the id with `fedledger job status`");
      }
      Thread.sleep(200);
    }
  }
}
