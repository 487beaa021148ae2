package org.fedledger.node.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.JobStatus;
import org.fedledger.core.proto.training.RoundStatus;
import org.fedledger.ledger.TxRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (headless Chromium) against a real two-validator network seeded
 * with transfers and two training jobs played through the contracts: one completed (a registered
 * model), one with a round still open. Every page is checked for console errors and saved as a
 * screenshot under target/screenshots.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardTest {
  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  /** Why the round-2 update with a NaN was rejected (by the aggregation the verifier re-runs). */
  static final String NAN_REASON = "holds NaN at index 0; values must be finite";

  @TempDir static Path dir;
  static SeededNetwork net;
  static ChromeDriver browser;
  static String transferHash;
  static Hash completedJob;
  static Hash runningJob;

  @BeforeAll
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  static void startNetworkSeedItAndOpenABrowser() throws Exception {
    net = SeededNetwork.start(dir, 5);
    Ed25519KeyPair sponsor = net.accounts.get(0);
    List<Ed25519KeyPair> lab = net.accounts.subList(1, 4);
    List<SignedTransaction> transfers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      transfers.add(net.transfer(sponsor, SeededNetwork.address(net.accounts.get(4)), 1_000 + i));
    }
    List<TxRecord> done = net.commit(transfers);
    transferHash = done.get(2).hash().toHex();

    TrainingSeed seed = new TrainingSeed(net);
    seed.registerDatasets("lab", lab);
    completedJob = seed.createJoinStart(sponsor, "lab", lab, 2);
    seed.playRound(completedJob, 1, lab, null);
    seed.playRound(completedJob, 2, lab, lab.get(2));
    List<Ed25519KeyPair> clinic = net.accounts.subList(1, 3);
    seed.registerDatasets("clinic", clinic);
    runningJob = seed.createJoinStart(sponsor, "clinic", clinic, 3);
    seed.playRound(runningJob, 1, clinic, null);
    assertThat(job(completedJob).getStatus()).isEqualTo(JobStatus.JOB_COMPLETED);
    assertThat(job(runningJob).getStatus()).isEqualTo(JobStatus.JOB_RUNNING);

    Files.createDirectories(SCREENSHOTS);
    browser = HeadlessChromium.start(dir.resolve("chromium-profile"));
    browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
    browser.get(net.baseUrl() + "/");
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

  @Test
  void networkPageShowsValidatorsLeaderAndRecentBlocks() throws Exception {
    open("/network");
    String text = main().getText();
    assertThat(text).contains("Validators", "Transactions / s", "Recent blocks", "Faults reported");
    assertThat(count("section[aria-label='Validators'] tbody tr")).isEqualTo(2);
    assertThat(count("section[aria-label='Recent blocks'] tbody tr")).isGreaterThan(5);
    assertThat(text).doesNotContain("none elected");
    screenshot("network");
  }

  @Test
  void searchFindsATransactionByItsHashAndABlockByItsHeight() throws Exception {
    open("/explorer");
    assertThat(count("section[aria-label='Latest blocks'] tbody tr")).isGreaterThan(5);
    screenshot("explorer");

    search(transferHash);
    waitForPath("/tx/" + transferHash);
    assertThat(browser.findElement(By.id("tx-hash")).getText()).isEqualTo(transferHash);
    assertThat(main().getText()).contains("bank/Transfer", "OK");
    screenshot("transaction");

    search("3");
    waitForPath("/block/3");
    assertThat(browser.findElement(By.cssSelector("main h1")).getText()).isEqualTo("Block 3");
    screenshot("block");
  }

  @Test
  void searchFindsAnAccountByAddressABlockByHashAndListsSeveralMatches() throws Exception {
    open("/explorer");
    String slashed = SeededNetwork.address(net.accounts.get(3)).toHex();
    search(slashed);
    waitForPath("/account/" + slashed);
    assertThat(main().getText()).contains("Balance", "Bonded", slashed);
    assertThat(count("section[aria-label='Slashes'] tbody tr")).isEqualTo(1);
    assertThat(count("section[aria-label='Datasets'] tbody tr")).isEqualTo(1);
    screenshot("account");

    String blockHash = getJson("/v1/blocks/3", 200).get("hash").asText();
    search(blockHash);
    waitForPath("/block/" + blockHash);
    assertThat(browser.findElement(By.cssSelector("main h1")).getText()).isEqualTo("Block 3");

    // A completed job's id is also its model's id: both are offered.
    search(completedJob.toHex());
    waitForPath("/search/" + completedJob.toHex());
    assertThat(count("main li a[href='#/job/" + completedJob.toHex() + "']")).isEqualTo(1);
    assertThat(count("main li a[href='#/model/" + completedJob.toHex() + "']")).isEqualTo(1);
    screenshot("search");
  }

  @Test
  void jobChartShowsOnePointPerFinishedRound() throws Exception {
    open("/jobs");
    assertThat(count("section[aria-label='Training jobs'] tbody tr")).isEqualTo(2);
    screenshot("jobs-list");
    for (Hash id : List.of(runningJob, completedJob)) {
      open("/job/" + id.toHex());
      long finished = finishedRounds(id);
      assertThat(finished).isEqualTo(id.equals(completedJob) ? 2 : 1);
      assertThat(count("svg[data-series='accuracy'] circle.point")).isEqualTo(finished);
      assertThat(count("svg[data-series='loss'] circle.point")).isEqualTo(finished);
      assertThat(count("section[aria-label='Participants'] tbody tr"))
          .isEqualTo(id.equals(completedJob) ? 3 : 2);
      if (id.equals(runningJob)) {
        screenshot("job-running");
      }
    }
    // The completed job: the third participant's round-2 update was rejected and slashed.
    assertThat(main().getText()).contains(NAN_REASON);
    screenshot("jobs");
  }

  @Test
  void modelPageLeadsToItsRoundsAndDatasets() throws Exception {
    open("/models");
    assertThat(count("section[aria-label='Registry'] tbody tr")).isEqualTo(1);
    assertThat(main().getText()).contains("Verification");
    // The registry refreshes on new blocks: find and click in one step, never a stale element.
    browser.executeScript(
        "document.querySelector(arguments[0]).click();",
        "section[aria-label='Registry'] tbody a[href^='#/model/']");
    String model = "/model/" + completedJob.toHex();
    waitForPath(model);
    // The node replays the lineage in the background; the page follows it to the verdict.
    new WebDriverWait(browser, Duration.ofSeconds(20))
        .withMessage(() -> "the model page never showed a verdict; it shows: " + main().getText())
        .until(d -> count("[data-verdict='valid']") == 1);
    assertThat(main().getText())
        .contains("Replay on this node: valid", "fedledger model verify " + completedJob.toHex());
    assertThat(count("section[aria-label='Rounds: attestations and replay'] tbody tr"))
        .isEqualTo(2);
    assertThat(
            browser
                .findElement(
                    By.cssSelector("section[aria-label='Rounds: attestations and replay'] tbody"))
                .getText())
        .doesNotContain("pending", "invalid");
    assertThat(count(".lineage a[href*='/round/']")).isEqualTo(2);
    assertThat(count(".lineage a[href^='#/dataset/']")).isEqualTo(3);
    screenshot("models");

    browser.findElement(By.cssSelector(".lineage a[href$='/round/2']")).click();
    waitForPath("/job/" + completedJob.toHex() + "/round/2");
    assertThat(browser.findElement(By.cssSelector("main h1")).getText()).isEqualTo("Round 2");
    assertThat(main().getText()).contains("rejected", NAN_REASON);
    screenshot("round");

    browser.navigate().back();
    waitForPath(model);
    browser.findElement(By.cssSelector(".lineage a[href='#/dataset/lab-0']")).click();
    waitForPath("/dataset/lab-0");
    assertThat(browser.findElement(By.cssSelector("main h1")).getText()).isEqualTo("Dataset lab-0");
    screenshot("dataset");
  }

  @Test
  void navigationWorksFromTheKeyboard() {
    open("/network");
    WebElement jobs = browser.findElement(By.cssSelector("nav a[data-nav='jobs']"));
    jobs.sendKeys(Keys.ENTER);
    waitForPath("/jobs");
    assertThat(jobs.getAttribute("aria-current")).isEqualTo("page");
    assertThat(count("label[for='search-input']")).isEqualTo(1);
  }

  @Test
  void pagesFollowNewBlocksFromTheEventStreamWithoutReloading() throws Exception {
    open("/network");
    browser.executeScript("window.dashboardTestMarker = 'same document';");
    net.commit(net.transfer(net.accounts.get(4), SeededNetwork.address(net.accounts.get(0)), 7));
    long committed = net.ledger().height();
    new WebDriverWait(browser, Duration.ofSeconds(10))
        .withMessage(() -> "the network page never showed height " + committed)
        .until(d -> shownHeight() >= committed);
    assertThat(browser.executeScript("return window.dashboardTestMarker;"))
        .isEqualTo("same document");
    assertThat(browser.findElement(By.id("live-text")).getText()).startsWith("live");
  }

  @Test
  void trainingViewsAnswerJsonAndRefuseBadInput() throws Exception {
    String job = completedJob.toHex();
    JsonNode detail = getJson("/v1/jobs/" + job, 200);
    assertThat(detail.at("/job/status").asText()).isEqualTo("JOB_COMPLETED");
    assertThat(detail.get("rounds")).hasSize(2);
    assertThat(detail.at("/rounds/1/commit/rejected/0/reason").asText()).contains(NAN_REASON);
    assertThat(detail.get("participants")).hasSize(3);
    assertThat(getJson("/v1/jobs/" + job + "/rounds/2", 200).get("status").asText())
        .isEqualTo("ROUND_FINAL");
    assertThat(getJson("/v1/jobs", 200).get("count").asLong()).isEqualTo(2);
    getJson("/v1/jobs/not-hex", 400);
    getJson("/v1/jobs/" + "00".repeat(32), 404);
    getJson("/v1/jobs/" + job + "/rounds/9", 404);

    JsonNode lineage = getJson("/v1/models/" + job + "/lineage", 200);
    assertThat(lineage.get("datasets")).hasSize(3);
    assertThat(lineage.get("attestations")).hasSize(2);
    for (JsonNode a : lineage.get("attestations")) {
      assertThat(a.get("status").asText()).isEqualTo("ROUND_FINAL");
      assertThat(a.get("attesters")).hasSize(1);
    }
    assertThat(lineage.at("/verify/command").asText()).isEqualTo("fedledger model verify " + job);
    assertThat(getJson("/v1/models", 200).get("models")).hasSize(1);
    getJson("/v1/models/no-such-model", 404);

    String owner = SeededNetwork.address(net.accounts.get(1)).toHex();
    assertThat(getJson("/v1/datasets?owner=" + owner, 200).get("datasets")).hasSize(2);
    getJson("/v1/datasets", 400);
    assertThat(getJson("/v1/datasets/lab-0", 200).get("sampleCount").asLong()).isEqualTo(1000);
    String slashed = SeededNetwork.address(net.accounts.get(3)).toHex();
    assertThat(getJson("/v1/staking/" + slashed, 200).get("slashes")).hasSize(1);

    JsonNode search = getJson("/v1/search?q=" + transferHash, 200);
    assertThat(search.at("/matches/0/kind").asText()).isEqualTo("transaction");
    assertThat(getJson("/v1/search?q=" + job, 200).get("matches")).hasSize(2); // job and model
    getJson("/v1/search?q=", 400);

    HttpResponse<String> page =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(net.baseUrl() + "/")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<title>fedledger dashboard</title>");
    assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
  }

  @Test
  @Order(Integer.MAX_VALUE) // adds a job and a model: runs after the tests that count them
  void theRegistryShowsANewModelAndFollowsItsVerificationWithoutReloading() throws Exception {
    open("/models");
    browser.executeScript("window.dashboardTestMarker = 'same document';");
    TrainingSeed seed = new TrainingSeed(net);
    List<Ed25519KeyPair> owner = net.accounts.subList(4, 5);
    seed.registerDatasets("late", owner);
    Hash job = seed.createJoinStart(net.accounts.get(0), "late", owner, 1);
    seed.playRound(job, 1, owner, null);
    String verdict =
        "const a = document.querySelector(\"section[aria-label='Registry'] a[href='#/model/\""
            + " + arguments[0] + \"']\");"
            + " return a ? a.closest('tr').lastElementChild.textContent : 'not listed';";
    new WebDriverWait(browser, Duration.ofSeconds(20))
        .withMessage(
            () ->
                "the registry never showed model "
                    + job.toHex()
                    + " as valid; its row says: "
                    + browser.executeScript(verdict, job.toHex()))
        .until(d -> "valid".equals(browser.executeScript(verdict, job.toHex())));
    assertThat(browser.executeScript("return window.dashboardTestMarker;"))
        .isEqualTo("same document");
    assertThat(count("section[aria-label='Registry'] tbody tr")).isEqualTo(2);
    screenshot("models-registry");
  }

  // ---- helpers ----

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static JsonNode getJson(String path, int status) throws Exception {
    return net.getJson(path, status);
  }

  /** The Height figure on the network page. */
  private static long shownHeight() {
    Object text =
        browser.executeScript(
            "for (const s of document.querySelectorAll('.stat')) {"
                + " if (s.querySelector('.label').textContent === 'Height')"
                + " return s.querySelector('.value').textContent; }"
                + " return '-1';");
    return Long.parseLong(String.valueOf(text).replace(",", ""));
  }

  private static Job job(Hash id) {
    return net.ledger()
        .query(q -> net.ledger().contracts().training().job(q, id))
        .orElseThrow(() -> new AssertionError("no job " + id));
  }

  private static long finishedRounds(Hash id) {
    long n = 0;
    for (long r = 1; r <= job(id).getCurrentRound(); r++) {
      long round = r;
      boolean fin =
          net.ledger()
              .query(q -> net.ledger().contracts().training().round(q, id, round))
              .map(x -> x.getStatus() == RoundStatus.ROUND_FINAL)
              .orElse(false);
      n += fin ? 1 : 0;
    }
    return n;
  }

  private static void open(String path) {
    browser.get(net.baseUrl() + "/#" + path);
    waitForPath(path);
  }

  /** Waits until the page for path has rendered (not the loading or error placeholder). */
  private static void waitForPath(String path) {
    new WebDriverWait(browser, Duration.ofSeconds(10))
        .withMessage(() -> "page " + path + " did not render; main shows: " + main().getText())
        .until(
            d ->
                path.equals(main().getAttribute("data-path"))
                    && !main().getText().contains("Could not load this page"));
  }

  private static void search(String query) {
    WebElement input = browser.findElement(By.id("search-input"));
    input.clear();
    input.sendKeys(query, Keys.ENTER);
  }

  private static WebElement main() {
    return browser.findElement(By.id("main"));
  }

  private static long count(String css) {
    Object n = browser.executeScript("return document.querySelectorAll(arguments[0]).length;", css);
    return ((Number) n).longValue();
  }

  /**
   * Saves the whole page (the window grown to the page's height) as target/screenshots/name.png.
   */
  private static void screenshot(String name) throws IOException {
    int height = 768;
    // Grow until the page fits: the window's outer height includes a few pixels of chrome.
    for (int i = 0; i < 3; i++) {
      Number missing =
          (Number)
              browser.executeScript(
                  "return document.documentElement.scrollHeight - window.innerHeight;");
      if (missing.intValue() <= 0) {
        break;
      }
      height += missing.intValue();
      browser.manage().window().setSize(new Dimension(1366, height));
    }
    try {
      Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    } finally {
      browser.manage().window().setSize(new Dimension(1366, 900));
    }
  }
}
