package org.fedledger.cli;

/** Entry point of the fedledger jar. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(FedledgerCommand.newCommandLine().execute(args));
  }
}
