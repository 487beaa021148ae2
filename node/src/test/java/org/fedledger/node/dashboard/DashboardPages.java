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
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What a dashboard page test does in the browser and over REST: open a page and wait until it has
 * rendered, read its main element, count elements, save a screenshot under {@link
 * DashboardTest#SCREENSHOTS}, and GET a JSON record.
 */
final class DashboardPages {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final ChromeDriver browser;
  private final String baseUrl;

  DashboardPages(ChromeDriver browser, String baseUrl) {
    this.browser = browser;
    this.baseUrl = baseUrl;
  }

  /** Headless Chromium with its profile under dir and a 20 s page load timeout. */
  static ChromeDriver startBrowser(Path dir) throws Exception {
    ChromeDriver browser = HeadlessChromium.start(dir.resolve("chromium-profile"));
    browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
    return browser;
  }

  /** Quits the browser, then closes the network, whichever of them was started. */
  static void stop(ChromeDriver browser, SeededNetwork net) {
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

  /** Fails with the entries if the browser's console logged errors since the last call. */
  void assertNoConsoleErrors() {
    assertThat(HeadlessChromium.severe(browser)).as("browser console errors").isEmpty();
  }

  /** Opens {@code #path} and waits until the page rendered without a load error. */
  void open(String path) {
    browser.get(baseUrl + "/#" + path);
    awaitPath(path);
  }

  /** Waits until the page at path has rendered (after a click, say). */
  void awaitPath(String path) {
    new WebDriverWait(browser, Duration.ofSeconds(10))
        .withMessage(() -> "page " + path + " did not render; main shows: " + main().getText())
        .until(
            d ->
                path.equals(main().getAttribute("data-path"))
                    && !main().getText().contains("Could not load this page"));
  }

  WebElement main() {
    return browser.findElement(By.id("main"));
  }

  long count(String css) {
    Object n = browser.executeScript("return document.querySelectorAll(arguments[0]).length;", css);
    return ((Number) n).longValue();
  }

  void screenshot(String name) throws Exception {
    Files.createDirectories(DashboardTest.SCREENSHOTS);
    Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(
        shot,
        DashboardTest.SCREENSHOTS.resolve(name + ".png"),
        StandardCopyOption.REPLACE_EXISTING);
  }

  JsonNode getJson(String path) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(baseUrl + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
    return new ObjectMapper().readTree(r.body());
  }
}
