package org.fedledger.cli;

import java.io.PrintWriter;
import java.util.List;
import org.fedledger.cli.bench.BenchCommand;
import org.fedledger.cli.chain.AccountCommand;
import org.fedledger.cli.chain.BlockCommand;
import org.fedledger.cli.chain.TxCommand;
import org.fedledger.cli.channel.ChannelCommand;
import org.fedledger.cli.dataset.DatasetCommand;
import org.fedledger.cli.demo.DemoCommand;
import org.fedledger.cli.init.InitCommand;
import org.fedledger.cli.job.JobCommand;
import org.fedledger.cli.keys.KeysCommand;
import org.fedledger.cli.model.ModelCommand;
import org.fedledger.cli.node.NodeCommand;
import org.fedledger.cli.simulate.SimulateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top-level {@code fedledger} command; it only groups the subcommands. */
@Command(
    name = "fedledger",
    mixinStandardHelpOptions = true,
    versionProvider = FedledgerCommand.Version.class,
    description = {
      "Federated learning coordinated by a permissioned blockchain.",
      "",
      "Start a local network:",
      "  fedledger init --validators 3 --chain-id demo --dir net",
      "  fedledger node start --config net/node-0/node.json   (one per validator)",
    },
    subcommands = {
      InitCommand.class,
      NodeCommand.class,
      KeysCommand.class,
      org.fedledger.cli.cert.CertCommand.class,
      TxCommand.class,
      BlockCommand.class,
      AccountCommand.class,
      SimulateCommand.class,
      DemoCommand.class,
      DatasetCommand.class,
      JobCommand.class,
      ModelCommand.class,
      ChannelCommand.class,
      BenchCommand.class,
      org.fedledger.cli.validator.ValidatorCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:the command failed (message on stderr)",
      "2:invalid command line (usage on stderr)"
    })
public final class FedledgerCommand implements Runnable {
  @Spec CommandSpec spec;

  /** Every subcommand takes it: the certificate its HTTPS calls show (see ClientTls). */
  @CommandLine.Option(
      names = "--cert",
      scope = CommandLine.ScopeType.INHERIT,
      paramLabel = "PEM",
      defaultValue = "${FEDLEDGER_CERT:-}",
      description =
          "Your certificate for the network's HTTPS ports (e.g. DIR/tls/admin.pem), with"
              + " NAME-key.pem and the CA's ca.pem beside it (default: $FEDLEDGER_CERT).")
  void setCert(String certFile) {
    try {
      org.fedledger.cli.client.ClientTls.install(certFile);
    } catch (java.io.IOException | RuntimeException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--cert " + certFile + ": " + e.getMessage(), e);
    }
  }

  /** A command line with fedledger's error handling; tests and Main share it. */
  public static CommandLine newCommandLine() {
    CommandLine cli = new CommandLine(new FedledgerCommand());
    cli.setExecutionExceptionHandler(new ErrorHandler());
    return cli;
  }

  @Override
  public void run() {
    // `fedledger` alone: show what it can do, and fail like any other incomplete command line.
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  /** Version from the jar manifest when packaged, "dev" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = FedledgerCommand.class.getPackage().getImplementationVersion();
      return new String[] {"fedledger " + (v == null ? "dev" : v)};
    }
  }

  /**
   * Expected failures (bad files, refused transactions, unreachable node) print one line naming the
   * problem; only genuinely unexpected exceptions print a stack trace.
   */
  static final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    private static final List<Class<? extends Exception>> EXPECTED =
        List.of(
            java.io.IOException.class,
            IllegalArgumentException.class,
            IllegalStateException.class,
            CommandFailedException.class);

    @Override
    public int handleExecutionException(
        Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
      PrintWriter err = cli.getErr();
      if (EXPECTED.stream().anyMatch(c -> c.isInstance(e))) {
        err.println("error: " + messageOf(e));
      } else {
        err.println("error: unexpected failure, please report it:");
        e.printStackTrace(err);
      }
      err.flush();
      return 1;
    }

    private static String messageOf(Throwable e) {
      String message = e.getMessage();
      if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
        return fse.getFile() + ": " + fse.getReason();
      }
      return message == null ? e.getClass().getSimpleName() : message;
    }
  }
}
