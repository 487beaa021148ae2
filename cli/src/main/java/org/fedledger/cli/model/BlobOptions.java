package org.fedledger.cli.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options of the commands that fetch blobs: whose key signs the requests, which peers to ask. */
public final class BlobOptions {
  @Option(
      names = "--key",
      required = true,
      description =
          "Key file that signs blob requests; blob servers serve a job's blobs to its sponsor,"
              + " participants and the validators (update blobs: validators only).")
  Path key;

  @Option(
      names = "--peer",
      description =
          "Blob server URL to ask when the chain names none (e.g. the sponsor's, for the initial"
              + " weights); repeatable.")
  List<String> peers = new ArrayList<>();
}
