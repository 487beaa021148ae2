package org.fedledger.ledger.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedledger.ledger.training.TrainingNet.address;
import static org.fedledger.ledger.training.TrainingNet.dataset;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.fedledger.core.proto.Receipt;
import org.fedledger.core.proto.registry.Dataset;
import org.fedledger.core.proto.registry.RegisterDataset;
import org.fedledger.ledger.training.TrainingNet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dataset registration and its rules on a real ledger (models are covered by training tests). */
class RegistryModuleTest {
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

  private Optional<Dataset> byId(String id) {
    return net.query(q -> net.ledger().contracts().registry().dataset(q, id));
  }

  private List<Dataset> byOwner(int owner) {
    return net.query(q -> net.ledger().contracts().registry().datasetsByOwner(q, address(owner)));
  }

  private Receipt register(int owner, RegisterDataset m) {
    return net.send(owner, "registry", "RegisterDataset", m);
  }

  @Test
  void aRegisteredDatasetIsOwnedByItsSenderAndFoundByIdAndOwner() {
    Receipt r =
        net.ok(
            3,
            "registry",
            "RegisterDataset",
            dataset("fashion-a", 6_000, "research", "model-training:fashion"));
    assertThat(r.getEvents(0).getType()).isEqualTo("DatasetRegistered");
    net.ok(3, "registry", "RegisterDataset", dataset("fashion-b", 10, "commercial"));

    Dataset a = byId("fashion-a").orElseThrow();
    assertThat(a.getOwner()).isEqualTo(address(3).toByteString());
    assertThat(a.getSampleCount()).isEqualTo(6_000);
    assertThat(a.getConsentList()).containsExactly("research", "model-training:fashion");
    assertThat(a.getRegisteredHeight()).isEqualTo(1);
    assertThat(byOwner(3))
        .extracting(Dataset::getDatasetId)
        .containsExactly("fashion-a", "fashion-b");
    assertThat(byOwner(4)).isEmpty();
    assertThat(byId("nope")).isEmpty();
    assertThat(net.models()).isEmpty();
  }

  @Test
  void aTakenIdIsRejectedEvenForAnotherOwner() {
    net.ok(3, "registry", "RegisterDataset", dataset("shared", 5, "research"));
    assertThat(register(4, dataset("shared", 5, "research")).getError())
        .isEqualTo("INVALID_MESSAGE: dataset_id 'shared' is already registered; choose another id");
    assertThat(byOwner(4)).isEmpty();
    assertThat(byId("shared").orElseThrow().getOwner()).isEqualTo(address(3).toByteString());
  }

  @Test
  void malformedRegistrationsAreRejectedWithTheirReason() {
    RegisterDataset good = dataset("ok", 5, "research");
    assertThat(
            register(
                    3,
                    good.toBuilder().setCommitmentHash(ByteString.copyFrom(new byte[31])).build())
                .getError())
        .contains("commitment_hash must be 32 bytes");
    assertThat(register(3, good.toBuilder().clearConsent().build()).getError())
        .contains("consent must list 1 to 32");
    assertThat(register(3, good.toBuilder().addConsent("research").build()).getError())
        .contains("listed twice");
    assertThat(register(3, good.toBuilder().addConsent("has space").build()).getError())
        .contains("without spaces");
    assertThat(register(3, good.toBuilder().setSampleCount(0).build()).getError())
        .contains("sample_count");
    assertThat(register(3, good.toBuilder().setDatasetId("bad/id").build()).getError())
        .contains("[A-Za-z0-9._:-]");
    assertThat(byOwner(3)).isEmpty();
  }
}
