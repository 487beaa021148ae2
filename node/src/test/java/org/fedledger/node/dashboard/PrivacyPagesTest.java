package org.fedledger.node.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.privacy.RdpAccountant;
import org.fedledger.core.proto.registry.PrivacyBudget;
import org.fedledger.core.proto.training.DpParams;
import org.fedledger.ledger.registry.PrivacyAccounts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Privacy budgets in the REST records and on the dashboard, in a real browser against a real
 * network: two owners with budgets join a DP job that has trained one of its two rounds, so each
 * dataset has spent one round's epsilon and holds the rest of the job's.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PrivacyPagesTest {
  private static final DpParams DP =
      DpParams.newBuilder()
          .setClipNormMicros(1_000_000)
          .setNoiseMultiplierMicros(1_100_000)
          .setSampleRatePpm(10_000)
          .setLocalSteps(100)
          .setDeltaPerTrillion(10_000_000)
          .build();
  private static final PrivacyBudget BUDGET =
      PrivacyBudget.newBuilder()
          .setEpsilonMicros(8_000_000)
          .setDeltaPerTrillion(100_000_000)
          .build();

  @TempDir static Path dir;
  static SeededNetwork net;
  static ChromeDriver browser;
  static Hash job;

  @BeforeAll
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  static void trainOneOfTwoDpRounds() throws Exception {
    net = SeededNetwork.start(dir, 3);
    List<Ed25519KeyPair> wards = net.accounts.subList(1, 3);
    TrainingSeed seed = new TrainingSeed(net);
    seed.registerDatasets("ward", wards, BUDGET);
    job =
        seed.createJoinStart(
            net.accounts.get(0),
            "ward",
            wards,
            2,
            b -> b.setDp(DP).setLearningRateMicros(800_000).setLearningRateSchedule("cosine"));
    seed.playRound(job, 1, wards, null);
    Files.createDirectories(DashboardTest.SCREENSHOTS);
    browser = HeadlessChromium.start(dir.resolve("chromium-profile"));
    browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
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

  @AfterEach
  void noConsoleErrors() {
    assertThat(HeadlessChromium.severe(browser)).as("browser console errors").isEmpty();
  }

  private static long epsilonAfter(long rounds) {
    return RdpAccountant.sampledGaussian(DP.getNoiseMultiplierMicros(), DP.getSampleRatePpm())
        .epsilonMicros(rounds * DP.getLocalSteps(), DP.getDeltaPerTrillion());
  }

  @Test
  void theDatasetRecordShowsItsBudgetSpentReservedAndRemaining() throws Exception {
    JsonNode p = getJson("/v1/datasets/ward-0").get("privacy");
    assertThat(p.at("/budget/epsilonMicros").asLong()).isEqualTo(8_000_000);
    assertThat(p.at("/spent/epsilonMicros").asLong()).isEqualTo(epsilonAfter(1));
    assertThat(p.at("/spent/deltaPerTrillion").asLong()).isEqualTo(10_000_000);
    assertThat(p.at("/reserved/epsilonMicros").asLong())
        .isEqualTo(epsilonAfter(2) - epsilonAfter(1));
    assertThat(p.at("/remaining/epsilonMicros").asLong()).isEqualTo(8_000_000 - epsilonAfter(2));
    assertThat(p.at("/remaining/delta").asText()).isEqualTo("0.00009");
    assertThat(p.at("/jobs/0/jobId").asText()).isEqualTo(job.toHex());
    assertThat(p.at("/jobs/0/updates").asLong()).isEqualTo(1);
  }

  @Test
  void theJobRecordShowsItsCostAndWhatEachDatasetSpent() throws Exception {
    JsonNode p = getJson("/v1/jobs/" + job.toHex()).get("privacy");
    assertThat(p.at("/perDataset/epsilonMicros").asLong()).isEqualTo(epsilonAfter(2));
    assertThat(p.at("/totalSteps").asLong()).isEqualTo(200);
    assertThat(p.at("/params/noiseMultiplierMicros").asLong()).isEqualTo(1_100_000);
    assertThat(p.get("datasets")).hasSize(2);
    for (JsonNode d : p.get("datasets")) {
      assertThat(d.at("/spent/epsilonMicros").asLong()).isEqualTo(epsilonAfter(1));
      assertThat(d.at("/released").asBoolean()).isFalse();
    }
  }

  @Test
  void theDatasetPageShowsTheBudget() throws Exception {
    open("/dataset/ward-1");
    String text = main().getText();
    assertThat(text)
        .contains(
            "Privacy budget",
            "ε 8, δ 0.0001",
            "Spent",
            "ε " + PrivacyAccounts.epsilon(epsilonAfter(1)) + ", δ 0.00001",
            "Remaining",
            "ε " + PrivacyAccounts.epsilon(8_000_000 - epsilonAfter(2)));
    assertThat(count("section[aria-label='Privacy budget'] tbody tr")).isEqualTo(1);
    screenshot("dataset-privacy");
  }

  @Test
  void theJobPageStatesItsGuaranteeItsScheduleAndEachDatasetsSpending() throws Exception {
    open("/job/" + job.toHex());
    String guarantee = "(ε " + PrivacyAccounts.epsilon(epsilonAfter(2)) + ", δ 0.00001)-DP";
    assertThat(main().getText())
        .contains("Differential privacy", guarantee, "noise multiplier 1.1")
        .contains("learning rate 0.8, schedule cosine; owners' own epochs, owners' own batch");
    assertThat(count("section[aria-label='Differential privacy'] tbody tr")).isEqualTo(2);
    screenshot("job-privacy");
  }

  // ---- helpers (as DashboardTest's) ----

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static JsonNode getJson(String path) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(net.baseUrl() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
    return new ObjectMapper().readTree(r.body());
  }

  private static void open(String path) {
    browser.get(net.baseUrl() + "/#" + path);
    new WebDriverWait(browser, Duration.ofSeconds(10))
        .withMessage(() -> "page " + path + " did not render; main shows: " + main().getText())
        .until(
            d ->
                path.equals(main().getAttribute("data-path"))
                    && !main().getText().contains("Could not load this page"));
  }

  private static WebElement main() {
    return browser.findElement(By.id("main"));
  }

  private static long count(String css) {
    Object n = browser.executeScript("return document.querySelectorAll(arguments[0]).length;", css);
    return ((Number) n).longValue();
  }

  private static void screenshot(String name) throws Exception {
    Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(
        shot,
        DashboardTest.SCREENSHOTS.resolve(name + ".png"),
        StandardCopyOption.REPLACE_EXISTING);
  }
}
