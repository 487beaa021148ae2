package org.fedledger.cli.job;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.fedledger.cli.chain.NodeOption;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.training.StartJob;
import org.fedledger.ledger.training.TrainingMessages;
import org.fedledger.node.keys.KeyFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fedledger job start JOB_ID}: the sponsor opens round 1. */
@Command(
    name = "start",
    mixinStandardHelpOptions = true,
    description = "Open round 1 of a job (sponsor only, once enough owners have joined).")
public final class JobStartCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin NodeOption node;

  @Parameters(index = "0", paramLabel = "JOB_ID", description = "Job id, 64 hex digits.")
  String jobId;

  @Option(names = "--key", required = true, description = "Sponsor's key file.")
  Path key;

  @Option(names = "--timeout", defaultValue = "60", description = "Seconds to wait.")
  int timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    Hash id = JobStatusCommand.parseJobId(spec, jobId);
    new ChainTx(node.client(), KeyFile.load(key))
        .submitAndWait(
            TrainingMessages.MODULE,
            TrainingMessages.START_JOB,
            StartJob.newBuilder().setJobId(id.toByteString()).build(),
            Duration.ofSeconds(timeoutSeconds));
    spec.commandLine().getOut().println("job " + id.toHex() + " started");
    spec.commandLine().getOut().flush();
    return 0;
  }
}
