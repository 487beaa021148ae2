package org.fedledger.cli.demo.hospitals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fedledger.cli.demo.hospitals.PatientRecords.Hospital;
import org.fedledger.cli.demo.hospitals.PatientRecords.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PatientRecordsTest {
  @TempDir Path dir;

  @Test
  void theSameSeedWritesTheSameBytesAndAnotherSeedOtherBytes() throws Exception {
    Hospital h = PatientRecords.demoHospitals().get(0);
    PatientRecords.writeCsv(dir.resolve("a.csv"), h, 1);
    PatientRecords.writeCsv(dir.resolve("b.csv"), h, 1);
    PatientRecords.writeCsv(dir.resolve("c.csv"), h, 2);

    assertThat(Files.readAllBytes(dir.resolve("a.csv")))
        .isEqualTo(Files.readAllBytes(dir.resolve("b.csv")))
        .isNotEqualTo(Files.readAllBytes(dir.resolve("c.csv")));
  }

  @Test
  void aFileHasTheHeaderAndOneRowPerPatient() throws Exception {
    Hospital h = new Hospital("tiny", 25, 60, 0.5);
    PatientRecords.writeCsv(dir.resolve("t.csv"), h, 7);

    List<String> lines = Files.readAllLines(dir.resolve("t.csv"));
    assertThat(lines).hasSize(26);
    assertThat(lines.get(0)).isEqualTo(String.join(",", PatientRecords.COLUMNS));
    assertThat(lines.subList(1, 26)).allSatisfy(l -> assertThat(l.split(",")).hasSize(8));
  }

  @Test
  void theLabelIsLearnableButNotTrivial() {
    long rows = 0;
    long positives = 0;
    long bayesCorrect = 0;
    for (Hospital h : PatientRecords.demoHospitals()) {
      for (Patient p : PatientRecords.patients(h, 1)) {
        rows++;
        positives += p.readmitted() ? 1 : 0;
        bayesCorrect += (PatientRecords.risk(p) > 0.5) == p.readmitted() ? 1 : 0;
      }
    }
    // Both classes are common, and the generator's own risk model (the best any model can do)
    // is right far more often than guessing the majority class, though not always.
    double positiveShare = (double) positives / rows;
    double bayesAccuracy = (double) bayesCorrect / rows;
    assertThat(positiveShare).isBetween(0.3, 0.7);
    assertThat(bayesAccuracy).isBetween(Math.max(positiveShare, 1 - positiveShare) + 0.15, 0.97);
  }

  @Test
  void hospitalsSeeDifferentPatients() {
    List<Hospital> hospitals = PatientRecords.demoHospitals();
    double childrenAge = meanAge(PatientRecords.patients(hospitals.get(3), 1));
    double countyAge = meanAge(PatientRecords.patients(hospitals.get(2), 1));
    assertThat(countyAge - childrenAge).isGreaterThan(15);
  }

  @Test
  void aHospitalWithoutPatientsIsRefused() {
    assertThatThrownBy(() -> new Hospital("empty", 0, 50, 0.5))
        .hasMessageContaining("at least one patient");
    assertThatThrownBy(() -> new Hospital("odd", 10, 50, 1.5))
        .hasMessageContaining("fraction in [0, 1]");
  }

  private static double meanAge(List<Patient> patients) {
    return patients.stream().mapToDouble(Patient::age).average().orElseThrow();
  }
}
