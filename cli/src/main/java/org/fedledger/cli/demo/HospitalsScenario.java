package org.fedledger.cli.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.fedledger.cli.demo.hospitals.HospitalJob;
import org.fedledger.cli.demo.hospitals.HospitalPrivacy;
import org.fedledger.cli.demo.hospitals.PatientRecords;
import org.fedledger.cli.local.LocalOwner;
import org.fedledger.core.proto.registry.RegisterDataset;
import org.fedledger.core.proto.training.CreateJob;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.data.SchemaInference;
import org.fedledger.learning.data.schema.DatasetSchema;
import org.fedledger.learning.data.schema.DatasetSchemaJson;
import org.fedledger.learning.train.TrainConfig;
import org.fedledger.node.agent.JobOptions;

/**
 * {@code --scenario hospitals}: five hospitals, each with its own table of patient records ({@link
 * PatientRecords}) written as a CSV file under the network's directory, one schema inferred from
 * them and registered with every dataset, and a job that standardizes and evaluates on each
 * hospital's local test split ({@link HospitalJob}). No central test set: a round's metrics are the
 * hospitals' federated evaluation. The last hospital is malicious. With a {@link HospitalPrivacy}
 * the tables are in reference units, each dataset is registered with a budget and the job trains
 * with DP-SGD.
 */
final class HospitalsScenario implements DemoScenario {
  private final Optional<HospitalPrivacy> privacy;

  /** Without differential privacy. */
  HospitalsScenario() {
    this(Optional.empty());
  }

  /** With DP-SGD at every hospital and a budget on every dataset when privacy is present. */
  HospitalsScenario(Optional<HospitalPrivacy> privacy) {
    this.privacy = privacy;
  }

  /** Where the tables go, under the network's directory. */
  static final String DIR = "hospitals";

  static final String SCHEMA_FILE = "patients.schema.json";
  static final String TABLE_FILE = "patients.csv";

  // The first hospital's table and the schema, for the patients the served model is asked about.
  private Path firstTable;
  private DatasetSchema tableSchema;

  @Override
  public String name() {
    return "hospitals";
  }

  @Override
  public String data() {
    return "patient tables (readmission within 30 days)";
  }

  /**
   * Writes {@code hospitals/NAME/patients.csv} for each hospital, infers the schema from the
   * largest table (whose vocabularies hold every category) into {@code
   * hospitals/patients.schema.json}, and reads every table under it as the nodes will.
   */
  @Override
  public List<LocalOwner> owners(Path root, int participants, long seed) throws IOException {
    List<PatientRecords.Hospital> hospitals = PatientRecords.demoHospitals();
    if (participants != hospitals.size()) {
      throw new IllegalArgumentException(
          "the hospitals scenario has " + hospitals.size() + " hospitals, not " + participants);
    }
    Path dir = Files.createDirectories(root.resolve(DIR));
    List<Path> tables = new ArrayList<>();
    PatientRecords.Hospital largest = hospitals.get(0);
    Path largestTable = null;
    for (PatientRecords.Hospital h : hospitals) {
      Path table = Files.createDirectories(dir.resolve(h.name())).resolve(TABLE_FILE);
      if (privacy.isPresent()) {
        PatientRecords.writeReferenceScaledCsv(table, h, seed);
      } else {
        PatientRecords.writeCsv(table, h, seed);
      }
      tables.add(table);
      if (largestTable == null || h.patients() > largest.patients()) {
        largest = h;
        largestTable = table;
      }
    }
    DatasetSchema schema =
        SchemaInference.infer(largestTable, List.of(PatientRecords.LABEL), Optional.empty());
    Path schemaFile = dir.resolve(SCHEMA_FILE);
    DatasetSchemaJson.write(schema, schemaFile);
    firstTable = tables.get(0);
    tableSchema = schema;
    List<LocalOwner> owners = new ArrayList<>();
    for (int i = 0; i < hospitals.size(); i++) {
      boolean malicious = i == hospitals.size() - 1;
      owners.add(
          LocalOwner.ofFiles(
              hospitals.get(i).name(),
              tables.get(i),
              schemaFile,
              malicious ? FashionScenario.ATTACK : null));
    }
    return owners;
  }

  @Override
  public LabeledData evaluation(long seed) {
    return null;
  }

  @Override
  public JobOptions job(List<LocalOwner> owners, int rounds) {
    return HospitalJob.options(owners.get(0).schema(), owners.size(), rounds, privacy.isPresent());
  }

  @Override
  public TrainConfig training() {
    return privacy.isPresent() ? HospitalJob.DP_TRAINING : HospitalJob.TRAINING;
  }

  @Override
  public Consumer<CreateJob.Builder> jobFields() {
    if (privacy.isPresent()) {
      return job -> HospitalJob.fields(job, privacy.get());
    }
    return HospitalJob::fields;
  }

  @Override
  public Consumer<RegisterDataset.Builder> datasetFields() {
    return privacy
        .<Consumer<RegisterDataset.Builder>>map(p -> d -> d.setPrivacyBudget(p.budget()))
        .orElse(d -> {});
  }

  @Override
  public boolean budgeted() {
    return privacy.isPresent();
  }

  @Override
  public String modelName() {
    return HospitalJob.MODEL;
  }

  /** The first hospital's first patients, as named features, asked of the served model. */
  @Override
  public DemoServing.Sample servingSample(long seed, int count) throws IOException {
    return DemoServing.Sample.fromTable(
        firstTable, PatientRecords.LABEL, tableSchema.label().classes(), count);
  }

  @Override
  public boolean federatedMetrics() {
    return true;
  }

  @Override
  public String describe(LocalOwner owner) {
    LabeledData d = owner.data();
    int readmitted = owner.schema().label().classes().indexOf("yes");
    int[] counts = d.classCounts();
    return String.format(
        Locale.ROOT,
        "%d patients, %d%% readmitted",
        d.size(),
        readmitted < 0 ? 0 : 100 * counts[readmitted] / Math.max(1, d.size()));
  }
}
