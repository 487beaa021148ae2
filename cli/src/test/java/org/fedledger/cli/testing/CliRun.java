package org.fedledger.cli.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.fedledger.cli.FedledgerCommand;
import picocli.CommandLine;

/** Runs the fedledger command in this JVM and captures its exit code and output. */
public record CliRun(int exitCode, String out, String err) {
  public static CliRun of(String... args) {
    CommandLine cli = FedledgerCommand.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }
}
