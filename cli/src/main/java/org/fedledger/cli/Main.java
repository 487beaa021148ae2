package org.fedledger.cli;

/** Entry point of the fedledger jar. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // Nothing may download at run time: DJL must use the PyTorch native library inside the jar,
    // never fetch one. An explicit -Dai.djl.offline=false still wins.
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    System.exit(FedledgerCommand.newCommandLine().execute(args));
  }
}
