package org.fedledger.ledger.training;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.Optional;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.Receipt;
import org.fedledger.core.proto.ReceiptStatus;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.registry.Dataset;
import org.fedledger.core.proto.registry.RegisterDataset;
import org.fedledger.core.proto.training.JoinJob;
import org.fedledger.core.tx.TransactionCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Datasets and jobs record their schema's hash; a job with one takes datasets of that schema. */
class SchemaHashTest {
  private static final ByteString TABLE = TrainingNet.hashBytes("schema:hospital-table");
  private static final ByteString IMAGES = TrainingNet.hashBytes("schema:fashion-images");

  @TempDir Path dir;
  private TrainingNet net;

  @BeforeEach
  void open() {
    net = new TrainingNet(dir);
  }

  @AfterEach
  void close() {
    net.close();
  }

  private Optional<Dataset> registered(String id) {
    return net.query(q -> net.ledger().contracts().registry().dataset(q, id));
  }

  private long jobCount() {
    return net.query(q -> net.training().jobCount(q));
  }

  private static RegisterDataset dataset(String id, ByteString schemaHash) {
    return TrainingNet.dataset(id, 600, TrainingNet.USE).toBuilder()
        .setSchemaHash(schemaHash)
        .build();
  }

  private Hash createJob(ByteString schemaHash) {
    SignedTransaction create =
        net.tx(
            0,
            "training",
            "CreateJob",
            TrainingNet.job(1, 1, 1_000).setSchemaHash(schemaHash).build());
    JobDriver.assertAllOk(net.block(create));
    return TrainingNet.jobId(create);
  }

  private static JoinJob joinJob(int p, Hash job) {
    return JoinJob.newBuilder()
        .setJobId(job.toByteString())
        .setDatasetId("ds-" + p)
        .setStake(JobDriver.STAKE)
        .build();
  }

  private Receipt join(int p, Hash job) {
    return net.send(p, "training", "JoinJob", joinJob(p, job));
  }

  /** A refused join changes nothing but the sender's nonce; the mempool refuses it alike. */
  private void refusedJoin(int p, Hash job, String text) throws Exception {
    long balance = net.balance(p);
    long nonce = net.ledger().account(TrainingNet.address(p)).nonce();
    var root = net.ledger().stateRoot();
    var tx = net.tx(p, "training", "JoinJob", joinJob(p, job));
    var admission = net.ledger().checkTransaction(TransactionCodec.decode(tx));
    assertThat(admission.isOk()).isFalse();
    assertThat(admission.message()).contains(text);
    Receipt r = net.block(tx).receipts().get(0);
    assertThat(r.getStatus()).isEqualTo(ReceiptStatus.FAILED);
    assertThat(r.getError()).startsWith("INVALID_MESSAGE: ").contains(text);
    assertThat(r.getEventsList()).isEmpty();
    assertThat(net.job(job).getParticipantsList()).isEmpty();
    assertThat(net.balance(p)).isEqualTo(balance);
    assertThat(net.bonded(p)).isZero();
    assertThat(net.ledger().account(TrainingNet.address(p)).nonce()).isEqualTo(nonce + 1);
    assertThat(net.ledger().stateRoot()).isNotEqualTo(root); // the nonce moved, nothing else
  }

  @Test
  void aDatasetAndAJobRecordTheirSchemaHashAndADatasetOfThatSchemaJoins() {
    net.ok(1, "registry", "RegisterDataset", dataset("ds-1", TABLE));
    Hash job = createJob(TABLE);
    assertThat(registered("ds-1"))
        .hasValueSatisfying(ds -> assertThat(ds.getSchemaHash()).isEqualTo(TABLE));
    assertThat(net.job(job).getSpec().getSchemaHash()).isEqualTo(TABLE);

    Receipt r = join(1, job);
    assertThat(r.getStatus()).as(r.getError()).isEqualTo(ReceiptStatus.OK);
    assertThat(net.job(job).getParticipantsList()).containsExactly(TrainingNet.bytes(1));
  }

  @Test
  void aDatasetOfAnotherSchemaIsRefusedWithBothHashes() throws Exception {
    net.ok(1, "registry", "RegisterDataset", dataset("ds-1", IMAGES));
    Hash job = createJob(TABLE);
    refusedJoin(
        1,
        job,
        "dataset ds-1 has schema "
            + Hash.of(IMAGES).toHex()
            + ", job needs "
            + Hash.of(TABLE).toHex());
  }

  @Test
  void aDatasetRegisteredWithoutASchemaHashCannotJoinAJobThatNamesOne() throws Exception {
    net.ok(1, "registry", "RegisterDataset", dataset("ds-1", ByteString.EMPTY));
    Hash job = createJob(TABLE);
    refusedJoin(
        1, job, "dataset ds-1 has schema (none recorded), job needs " + Hash.of(TABLE).toHex());
  }

  @Test
  void aJobWithoutASchemaHashTakesDatasetsOfAnySchemaAsBefore() {
    net.ok(1, "registry", "RegisterDataset", dataset("ds-1", IMAGES));
    net.ok(2, "registry", "RegisterDataset", dataset("ds-2", ByteString.EMPTY));
    Hash job = createJob(ByteString.EMPTY);
    assertThat(join(1, job).getStatus()).isEqualTo(ReceiptStatus.OK);
    assertThat(join(2, job).getStatus()).isEqualTo(ReceiptStatus.OK);
  }

  @Test
  void aSchemaHashOfAnotherLengthIsRefusedAndNothingIsRegistered() {
    Receipt dataset =
        net.send(
            1, "registry", "RegisterDataset", dataset("ds-1", ByteString.copyFrom(new byte[5])));
    assertThat(dataset.getStatus()).isEqualTo(ReceiptStatus.FAILED);
    assertThat(dataset.getError()).contains("schema_hash must be 32 bytes").contains("got 5");
    assertThat(registered("ds-1")).isEmpty();

    long sponsor = net.balance(0);
    Receipt job =
        net.send(
            0,
            "training",
            "CreateJob",
            TrainingNet.job(1, 1, 1_000).setSchemaHash(TABLE.substring(0, 31)).build());
    assertThat(job.getStatus()).isEqualTo(ReceiptStatus.FAILED);
    assertThat(job.getError()).contains("schema_hash must be empty or 32 bytes").contains("got 31");
    assertThat(jobCount()).isZero();
    assertThat(net.balance(0)).isEqualTo(sponsor);
  }

  @Test
  void theSchemaHashIsInTheRegistrationAndJobCreationEvents() {
    Receipt dataset = net.ok(1, "registry", "RegisterDataset", dataset("ds-1", TABLE));
    assertThat(dataset.getEvents(0).getAttributesList())
        .anySatisfy(
            a -> {
              assertThat(a.getKey()).isEqualTo("schema_hash");
              assertThat(a.getValue()).isEqualTo(Hash.of(TABLE).toHex());
            });
    Receipt created =
        net.ok(
            0, "training", "CreateJob", TrainingNet.job(1, 1, 1_000).setSchemaHash(TABLE).build());
    assertThat(created.getEventsList())
        .filteredOn(e -> e.getType().equals(TrainingEvents.JOB_CREATED))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getAttributesList())
                    .anySatisfy(
                        a -> {
                          assertThat(a.getKey()).isEqualTo(TrainingEvents.Attributes.SCHEMA_HASH);
                          assertThat(a.getValue()).isEqualTo(Hash.of(TABLE).toHex());
                        }));
  }
}
