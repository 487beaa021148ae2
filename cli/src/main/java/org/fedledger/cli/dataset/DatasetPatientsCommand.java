package org.fedledger.cli.dataset;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fedledger.cli.demo.hospitals.PatientRecords;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fedledger dataset patients}: writes the hospitals demo's synthetic patient tables ({@link
 * PatientRecords}), one CSV file per data owner, for trying a network out on tables: owner K gets
 * hospital K's patients as {@code OUT/owner-K.csv}.
 */
@Command(
    name = "patients",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Write synthetic patient tables (will a patient be readmitted within 30 days?), one CSV"
          + " file per data owner: OUT/owner-K.csv holds hospital K's patients.",
      "The same options give the same files on every machine.",
      "",
      "Example:",
      "  fedledger dataset patients --owners 3 --out tables"
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:written", "1:failed", "2:invalid options"})
public final class DatasetPatientsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--owners",
      required = true,
      description = "Data owners, 1-5: the demo's hospitals, in its order.")
  int owners;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the records (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write.")
  Path out;

  @Override
  public Integer call() throws Exception {
    List<PatientRecords.Hospital> hospitals = PatientRecords.demoHospitals();
    if (owners < 1 || owners > hospitals.size()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--owners must be 1-" + hospitals.size() + ": one hospital each");
    }
    for (int k = 0; k < owners; k++) {
      if (Files.exists(file(k))) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            file(k) + " already exists; give another --out (nothing was written)");
      }
    }
    Files.createDirectories(out);
    PrintWriter stdout = spec.commandLine().getOut();
    for (int k = 0; k < owners; k++) {
      PatientRecords.Hospital h = hospitals.get(k);
      PatientRecords.writeCsv(file(k), h, seed);
      stdout.printf(
          Locale.ROOT, "%s: %d patients of the %s hospital%n", file(k), h.patients(), h.name());
    }
    stdout.flush();
    return 0;
  }

  private Path file(int k) {
    return out.resolve("owner-" + k + ".csv");
  }
}
