package org.fedledger.node.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.market.Vouchers;
import org.fedledger.core.proto.market.Claim;
import org.fedledger.core.proto.market.Voucher;
import org.fedledger.ledger.market.MarketMessages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard's Market page in a real browser against a real network: a model trained over two
 * rounds by three owners (the third's update rejected in both, so it has no score), offered at 10
 * per call; one client channel claimed for 4 calls, another still unused. The page shows the offer,
 * both channels with their deposits, claims and expiry, the calls served, the revenue, and the
 * royalties of the two scored owners, the rejected one absent.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MarketPageTest {
  private static final long PRICE = 10;

  @TempDir static java.nio.file.Path dir;
  static SeededNetwork net;
  static ChromeDriver browser;
  static DashboardPages pages;
  static String modelId;
  static List<Ed25519KeyPair> owners;
  static Hash claimed;
  static Hash unused;

  @BeforeAll
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  static void trainOfferOpenAndClaim() throws Exception {
    net = SeededNetwork.start(dir, 6);
    Ed25519KeyPair sponsor = net.accounts.get(0);
    owners = net.accounts.subList(1, 4);
    Ed25519KeyPair provider = net.accounts.get(4);
    Ed25519KeyPair client = net.accounts.get(5);
    TrainingSeed seed = new TrainingSeed(net);
    seed.registerDatasets("lab", owners);
    Hash job = seed.createJoinStart(sponsor, "lab", owners, 2);
    seed.playRound(job, 1, owners, owners.get(2));
    seed.playRound(job, 2, owners, owners.get(2));
    modelId = job.toHex();
    MarketSeed market = new MarketSeed(net);
    market.offer(sponsor, modelId, PRICE, provider);
    claimed = market.open(client, modelId, provider, 100, 10_000);
    unused = market.open(client, modelId, provider, 70, 5_000);
    Voucher fourCalls =
        Voucher.newBuilder()
            .setChainId(SeededNetwork.CHAIN)
            .setChannelId(claimed.toByteString())
            .setNonce(0)
            .setAmount(4 * PRICE)
            .build();
    net.commit(
        net.tx(
            provider,
            MarketMessages.MODULE,
            MarketMessages.CLAIM,
            Claim.newBuilder()
                .setChannelId(claimed.toByteString())
                .setVoucher(Vouchers.sign(client, fourCalls))
                .setReopen(true)
                .build()));
    browser = DashboardPages.startBrowser(dir);
    pages = new DashboardPages(browser, net.baseUrl());
  }

  @AfterAll
  static void stop() {
    DashboardPages.stop(browser, net);
  }

  @AfterEach
  void noConsoleErrors() {
    pages.assertNoConsoleErrors();
  }

  @Test
  void theMarketPageShowsOffersChannelsCallsRevenueAndRoyalties() throws Exception {
    pages.open("/market");
    String text = pages.main().getText();
    assertThat(text).contains("Market", "Offers", "Channels", "CC-BY-4.0");
    assertThat(stat("Offers")).isEqualTo("1");
    assertThat(stat("Open channels")).isEqualTo("2");
    assertThat(stat("Calls served")).isEqualTo("4");
    assertThat(stat("Revenue")).isEqualTo("40");
    assertThat(pages.count("section[aria-label='Offers'] tbody tr")).isEqualTo(1);
    assertThat(row("Offers", 0))
        .contains("10", "20.00 % / 30.00 % / 50.00 %", "4", "40", "offered");

    // Both channels: the claimed one with its deposit left, claim, calls and expiry; the other.
    assertThat(pages.count("section[aria-label='Channels'] tbody tr")).isEqualTo(2);
    JsonNode c = pages.getJson("/v1/market/channels/" + claimed.toHex());
    String claimedRow = channelRow(claimed);
    assertThat(claimedRow).contains("60", "40", "4", c.path("expiryHeight").asText(), "open");
    assertThat(channelRow(unused)).contains("70", "open");

    // Royalties: 50 % of 40 to the two scored owners; the rejected owner is not among them.
    String royalties = "section[aria-label^='Royalties of model'] tbody tr";
    assertThat(pages.count(royalties)).isEqualTo(2);
    long received = 0;
    for (JsonNode r : pages.getJson("/v1/models/" + modelId + "/royalties").path("royalties")) {
      received += r.path("amount").asLong();
      assertThat(text).contains(r.path("amount").asText());
    }
    assertThat(received).isEqualTo(20);
    String rejected = owners.get(2).publicKey().address().toHex();
    assertThat(
            browser.findElements(
                By.cssSelector(
                    "section[aria-label^='Royalties of model'] [title='" + rejected + "']")))
        .isEmpty();
    pages.screenshot("market");
  }

  @Test
  void theMarketIsLinkedFromEveryPageAndFromTheModel() {
    pages.open("/model/" + modelId);
    browser.findElement(By.linkText("offers, channels and royalties on the Market page")).click();
    pages.awaitPath("/market");
    pages.open("/network");
    browser.findElement(By.cssSelector("nav a[data-nav='market']")).click();
    pages.awaitPath("/market");
    assertThat(
            browser
                .findElement(By.cssSelector("nav a[data-nav='market']"))
                .getAttribute("aria-current"))
        .isEqualTo("page");
  }

  private static String stat(String label) {
    return browser
        .findElement(
            By.xpath(
                "//div[@aria-label='Market totals']//div[@class='label' and text()='"
                    + label
                    + "']/following-sibling::div"))
        .getText();
  }

  private static String row(String section, int index) {
    return browser
        .findElements(By.cssSelector("section[aria-label='" + section + "'] tbody tr"))
        .get(index)
        .getText();
  }

  private static String channelRow(Hash id) {
    return browser
        .findElement(
            By.xpath(
                "//section[@aria-label='Channels']//tbody/tr[td/span[@title='"
                    + id.toHex()
                    + "']]"))
        .getText();
  }
}
