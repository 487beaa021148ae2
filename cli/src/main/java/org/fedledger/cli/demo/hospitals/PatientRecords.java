package org.fedledger.cli.demo.hospitals;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Synthetic patient records for {@code fedledger demo --scenario hospitals}: a small tabular
 * classification set (will the patient be readmitted within 30 days?) that the project generates
 * itself, so the demo stays offline and ships no third-party data.
 *
 * <p>Each hospital draws its patients from its own case mix (age, share of emergencies), so the
 * owners hold different shares of one population, as real hospitals do. The label follows a fixed
 * logistic risk model with an interaction (old age with high glucose), so a model has something to
 * learn beyond a linear rule, and is drawn from that risk, so no model can be perfect. Values are
 * written with fixed decimals in the root locale: the same seed gives the same bytes on every
 * machine.
 */
public final class PatientRecords {
  /** The CSV header: seven features and the label column {@link #LABEL}. */
  public static final List<String> COLUMNS =
      List.of(
          "age",
          "bmi",
          "systolic_bp",
          "glucose",
          "prior_admissions",
          "smoker",
          "admission",
          "readmitted");

  public static final String LABEL = "readmitted";

  /**
   * The CSV header of {@link #writeReferenceScaledCsv}: the four measurements as z-values against
   * public reference values, the rest as in {@link #COLUMNS}.
   */
  public static final List<String> REFERENCE_SCALED_COLUMNS =
      List.of(
          "age_z",
          "bmi_z",
          "systolic_bp_z",
          "glucose_z",
          "prior_admissions",
          "smoker",
          "admission",
          "readmitted");

  /**
   * Reference centre and spread of age (years), BMI, systolic blood pressure (mmHg) and glucose
   * (mg/dL) for adult patients: round textbook values, not statistics of any hospital's records, so
   * scaling by them reveals nothing about a patient and costs no privacy budget.
   */
  private static final double[][] REFERENCE = {{55, 18}, {27, 5}, {130, 18}, {110, 35}};

  /** One hospital's case mix: how many patients, how old, how many come in as emergencies. */
  public record Hospital(String name, int patients, double meanAge, double emergencyShare) {
    public Hospital {
      if (patients < 1) {
        throw new IllegalArgumentException(name + ": a hospital needs at least one patient");
      }
      if (emergencyShare < 0 || emergencyShare > 1) {
        throw new IllegalArgumentException(name + ": the emergency share is a fraction in [0, 1]");
      }
    }
  }

  /** One patient's record. */
  public record Patient(
      double age,
      double bmi,
      double systolicBp,
      double glucose,
      int priorAdmissions,
      boolean smoker,
      String admission,
      boolean readmitted) {}

  /** The demo's five hospitals: unequal in size and in the patients they see. */
  public static List<Hospital> demoHospitals() {
    return List.of(
        new Hospital("general", 1400, 58, 0.45),
        new Hospital("university", 1100, 52, 0.35),
        new Hospital("county", 700, 66, 0.60),
        new Hospital("children-and-family", 500, 41, 0.25),
        new Hospital("rural", 600, 63, 0.50));
  }

  private PatientRecords() {}

  /** The probability of readmission under the generator's risk model. */
  public static double risk(Patient p) {
    double z =
        -0.75
            + 0.04 * (p.age() - 55)
            + 0.08 * (p.bmi() - 27)
            + 0.03 * (p.systolicBp() - 130)
            + 0.025 * (p.glucose() - 110)
            + 0.55 * p.priorAdmissions()
            + (p.smoker() ? 0.7 : 0)
            + admissionEffect(p.admission())
            + (p.age() > 65 && p.glucose() > 150 ? 1.2 : 0);
    return 1 / (1 + Math.exp(-1.6 * z));
  }

  private static double admissionEffect(String admission) {
    switch (admission) {
      case "emergency":
        return 0.9;
      case "transfer":
        return 0.4;
      default:
        return -0.7;
    }
  }

  /** Draws one patient of this hospital. */
  static Patient draw(SplittableRandom random, Hospital h) {
    double age = clamp(h.meanAge() + 16 * random.nextGaussian(), 18, 95);
    double bmi = clamp(26 + 0.05 * (age - 50) + 4.5 * random.nextGaussian(), 15, 55);
    double sbp = clamp(118 + 0.45 * (age - 40) + 14 * random.nextGaussian(), 85, 210);
    double glucose = clamp(98 + 0.4 * (bmi - 25) * 3 + 28 * random.nextGaussian(), 60, 320);
    int prior = (int) Math.min(6, Math.floor(-Math.log(1 - random.nextDouble()) * (age / 70)));
    boolean smoker = random.nextDouble() < 0.22;
    double a = random.nextDouble();
    String admission =
        a < h.emergencyShare()
            ? "emergency"
            : a < h.emergencyShare() + (1 - h.emergencyShare()) / 4 ? "transfer" : "elective";
    Patient unlabelled =
        new Patient(
            round1(age),
            round1(bmi),
            round1(sbp),
            round1(glucose),
            prior,
            smoker,
            admission,
            false);
    boolean readmitted = random.nextDouble() < risk(unlabelled);
    return new Patient(
        unlabelled.age(),
        unlabelled.bmi(),
        unlabelled.systolicBp(),
        unlabelled.glucose(),
        prior,
        smoker,
        admission,
        readmitted);
  }

  /** The hospital's patients, drawn from a generator seeded by seed and the hospital's name. */
  public static List<Patient> patients(Hospital h, long seed) {
    SplittableRandom random = new SplittableRandom(seed * 31 + h.name().hashCode());
    Patient[] out = new Patient[h.patients()];
    for (int i = 0; i < out.length; i++) {
      out[i] = draw(random, h);
    }
    return List.of(out);
  }

  /** Writes the hospital's patients as a CSV file with a header row. */
  public static void writeCsv(Path file, Hospital h, long seed) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(String.join(",", COLUMNS));
      w.write('\n');
      for (Patient p : patients(h, seed)) {
        w.write(
            String.format(
                Locale.ROOT,
                "%.1f,%.1f,%.1f,%.1f,%d,%s,%s,%s\n",
                p.age(),
                p.bmi(),
                p.systolicBp(),
                p.glucose(),
                p.priorAdmissions(),
                p.smoker() ? "yes" : "no",
                p.admission(),
                p.readmitted() ? "yes" : "no"));
      }
    }
  }

  /**
   * Writes the same patients as {@link #writeCsv}, the four measurements as (value − reference) /
   * spread against fixed public reference values ({@link #REFERENCE_SCALED_COLUMNS}). A DP job
   * cannot standardize on the hospitals' own statistics (they are not private), yet raw ages,
   * pressures and glucose levels differ in scale by a factor of a hundred, which no one learning
   * rate suits; on these columns every feature is of order one before training.
   */
  public static void writeReferenceScaledCsv(Path file, Hospital h, long seed) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(String.join(",", REFERENCE_SCALED_COLUMNS));
      w.write('\n');
      for (Patient p : patients(h, seed)) {
        w.write(
            String.format(
                Locale.ROOT,
                "%.3f,%.3f,%.3f,%.3f,%d,%s,%s,%s\n",
                (p.age() - REFERENCE[0][0]) / REFERENCE[0][1],
                (p.bmi() - REFERENCE[1][0]) / REFERENCE[1][1],
                (p.systolicBp() - REFERENCE[2][0]) / REFERENCE[2][1],
                (p.glucose() - REFERENCE[3][0]) / REFERENCE[3][1],
                p.priorAdmissions(),
                p.smoker() ? "yes" : "no",
                p.admission(),
                p.readmitted() ? "yes" : "no"));
      }
    }
  }

  private static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  private static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
