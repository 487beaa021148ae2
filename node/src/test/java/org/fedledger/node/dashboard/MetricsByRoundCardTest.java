package org.fedledger.node.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.registry.Metric;
import org.fedledger.core.proto.training.ReportEvaluation;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.RoundStatus;
import org.fedledger.ledger.training.TrainingMessages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The job page's "Metrics by round" card in a real browser (headless Chromium) against a real
 * two-validator network: a job with a local test split plays round 1 through the contracts (the
 * aggregator's commit carries central accuracy and loss), both owners report their evaluations of
 * it (ReportEvaluation), and the card shows the central metrics, the sample-weighted federated ones
 * and how many owners reported; round 2, still open, shows none yet.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MetricsByRoundCardTest {
  @TempDir static Path dir;
  static SeededNetwork net;
  static ChromeDriver browser;
  static Hash job;

  @BeforeAll
  static void playARoundWithEvaluationsAndOpenABrowser() throws Exception {
    net = SeededNetwork.start(dir, 3);
    Ed25519KeyPair sponsor = net.accounts.get(0);
    List<Ed25519KeyPair> wards = net.accounts.subList(1, 3);
    TrainingSeed seed = new TrainingSeed(net);
    seed.registerDatasets("ward", wards);
    job = seed.createJoinStart(sponsor, "ward", wards, 2, b -> b.setTestFractionPpm(250_000));
    seed.playRound(job, 1, wards, null);
    Round one = seed.round(job, 1);
    assertThat(one.getStatus()).isEqualTo(RoundStatus.ROUND_FINAL);
    // Owner 0 held out 40 samples and scored 75 %, owner 1 60 samples and 80 %: 78 % weighted.
    List<SignedTransaction> reports = new ArrayList<>();
    reports.add(report(wards.get(0), one.getCommit().getAggregateHash(), 40, 750_000, 700_000));
    reports.add(report(wards.get(1), one.getCommit().getAggregateHash(), 60, 800_000, 790_000));
    net.commit(reports);
    assertThat(seed.round(job, 1).getEvaluationsCount()).isEqualTo(2);
    browser = HeadlessChromium.start(dir.resolve("chromium-profile"));
    browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
  }

  private static SignedTransaction report(
      Ed25519KeyPair owner, ByteString aggregate, long samples, long accuracy, long macroF1) {
    return net.tx(
        owner,
        TrainingMessages.MODULE,
        TrainingMessages.REPORT_EVALUATION,
        ReportEvaluation.newBuilder()
            .setJobId(job.toByteString())
            .setRound(1)
            .setAggregateHash(aggregate)
            .setSampleCount(samples)
            .addMetrics(Metric.newBuilder().setName("accuracy_ppm").setValue(accuracy))
            .addMetrics(Metric.newBuilder().setName("macro_f1_ppm").setValue(macroF1))
            .build());
  }

  @AfterAll
  static void stop() {
    try {
      if (browser != null) {
        browser.quit();
      }
    } finally {
      if (net != null) {
        net.close();
      }
    }
  }

  @Test
  void theCardShowsCentralAndFederatedMetricsAndTheOwnersWhoReported() {
    String path = "/job/" + job.toHex();
    browser.get(net.baseUrl() + "/#" + path);
    WebElement main = browser.findElement(By.id("main"));
    new WebDriverWait(browser, Duration.ofSeconds(10))
        .withMessage(() -> "the job page did not render; main shows: " + main.getText())
        .until(d -> path.equals(main.getAttribute("data-path")));
    WebElement card = browser.findElement(By.cssSelector("section[aria-label='Metrics by round']"));
    assertThat(card.getText()).contains("Federated (owners' 25.0 % local splits)");
    List<WebElement> rows = card.findElements(By.cssSelector("tbody tr"));
    assertThat(rows).hasSize(2);
    // Central: the aggregator's commit (accuracy 70 %, loss 1.2 / 2); federated: the owners'
    // reports weighted by their samples, (0.75 * 40 + 0.80 * 60) / 100 and likewise for F1.
    assertThat(rows.get(0).getText())
        .contains("accuracy 70.00 %, loss 0.6000")
        .contains("accuracy 78.00 %, macro_f1 0.7540")
        .contains("2 / 2");
    assertThat(rows.get(1).getText()).contains("0 / 2");
    assertThat(HeadlessChromium.severe(browser)).as("browser console errors").isEmpty();
  }
}
