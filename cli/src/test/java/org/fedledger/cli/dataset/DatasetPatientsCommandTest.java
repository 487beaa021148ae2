package org.fedledger.cli.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.fedledger.cli.demo.hospitals.PatientRecords;
import org.fedledger.cli.testing.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetPatientsCommandTest {
  @TempDir Path dir;

  @Test
  void writesOneHospitalsTablePerOwner() throws Exception {
    Path out = dir.resolve("tables");
    CliRun run = CliRun.of("dataset", "patients", "--owners", "2", "--out", out.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    PatientRecords.Hospital second = PatientRecords.demoHospitals().get(1);
    assertThat(Files.readAllLines(out.resolve("owner-1.csv")))
        .hasSize(second.patients() + 1)
        .first()
        .isEqualTo(String.join(",", PatientRecords.COLUMNS));
    assertThat(out.resolve("owner-2.csv")).doesNotExist();
    assertThat(run.out()).contains("owner-1.csv: " + second.patients() + " patients");
  }

  @Test
  void refusesMoreOwnersThanHospitalsAndExistingFiles() throws Exception {
    CliRun six = CliRun.of("dataset", "patients", "--owners", "6", "--out", dir.toString());
    assertThat(six.exitCode()).isEqualTo(2);
    assertThat(six.err()).contains("--owners must be 1-5");
    Files.writeString(dir.resolve("owner-1.csv"), "mine");
    CliRun again = CliRun.of("dataset", "patients", "--owners", "2", "--out", dir.toString());
    assertThat(again.exitCode()).isEqualTo(2);
    assertThat(again.err()).contains("owner-1.csv already exists", "nothing was written");
    assertThat(dir.resolve("owner-0.csv")).doesNotExist();
    assertThat(Files.readString(dir.resolve("owner-1.csv"))).isEqualTo("mine");
  }
}
