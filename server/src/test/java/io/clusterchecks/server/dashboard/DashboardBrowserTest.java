package io.clusterchecks.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clusterchecks.simulator.SimulatedWorkerFleet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium against a live agent with simulated workers: it shows
 * the runners, and follows the fleet without a reload when a config file is added, after a
 * rebalance made from the page, and when a worker dies.
 */
class DashboardBrowserTest {
  @TempDir
  Path tmp;
  private LiveAgent live;

  @AfterEach
  void stop() {
    if (live != null) {
      live.close();
    }
  }

  @Test
  void thePageFollowsTheFleetLiveThroughAConfigFileARebalanceAndAWorkerDeath() throws Exception {
    Map<String, String> files = new LinkedHashMap<>();
    for (int i = 0; i < 4; i++) {
      files.put("postgres.d/db" + i + ".yaml", LiveAgent.check("host: db" + i + ".internal, password: pw" + i
          + "-hidden, name: db" + i));
    }
    for (int i = 0; i < 8; i++) {
      files.put("http_check.d/web" + i + ".yaml", LiveAgent.check("url: 'http://web" + i + "/', name: web" + i));
    }
    live = LiveAgent.start(tmp, 3, 2, files);
    await().atMost(Duration.ofSeconds(20)).until(() -> live.agent.dispatcher().stats().activeConfigs() == 12);

    try (HeadlessChromium chromium = new HeadlessChromium(1400, 1800)) {
      var driver = chromium.driver;
      chromium.signIn(live.url, LiveAgent.TOKEN);
      // A reload would lose this; it must survive every update below.
      driver.executeScript("window.stillTheSamePage = true;");
      WebDriverWait wait = chromium.waiting(Duration.ofSeconds(20));

      wait.until(d -> runnerNames(d).equals(List.of("sim-worker-1", "sim-worker-2")));
      assertThat(driver.findElement(By.cssSelector("#fleet-configs b")).getText()).isEqualTo("12");
      assertThat(driver.findElement(By.id("checks")).getText()).contains("db0.internal").doesNotContain("pw0-hidden");
      assertThat(driver.findElement(By.id("leadership")).getText()).contains("leader");

      // A file added to conf.d shows up in the checks table.
      live.writeFile("tls.d/fresh.yaml", LiveAgent.check("server: fresh.internal, name: fresh"));
      wait.until(d -> d.findElement(By.id("checks")).getText().contains("fresh.internal"));
      wait.until(d -> d.findElement(By.cssSelector("#fleet-configs b")).getText().equals("13"));

      // A third runner joins empty; once its stats are in, a rebalance from the page fills it.
      live.fleet.start(SimulatedWorkerFleet.DEFAULT_ID_PREFIX + "3");
      wait.until(d -> runnerNames(d).size() == 3);
      assertThat(configsOf(driver, "sim-worker-3")).isEqualTo("0");
      live.agent.collectRunnerStats().get();
      wait.until(d -> d.findElements(By.cssSelector("#runners tr[data-utilization='']")).isEmpty());
      driver.findElement(By.id("dry-run")).click();
      wait.until(d -> "dry-run".equals(d.findElement(By.id("rebalance-result")).getAttribute("data-state")));
      List<WebElement> proposed = driver.findElements(By.cssSelector("#moves tbody tr"));
      assertThat(proposed).isNotEmpty().anySatisfy(tr -> assertThat(tr.getText()).endsWith(" sim-worker-3 "
          + tr.findElement(By.cssSelector("td:last-child")).getText()));
      assertThat(configsOf(driver, "sim-worker-3")).as("a dry run moves nothing").isEqualTo("0");
      driver.findElement(By.id("apply")).click();
      wait.until(d -> "applied".equals(d.findElement(By.id("rebalance-result")).getAttribute("data-state")));
      wait.until(d -> !configsOf(d, "sim-worker-3").equals("0"));
      wait.until(d -> !d.findElements(By.cssSelector("#timeline li[data-kind='rebalanced']")).isEmpty());

      // A worker dies: it expires, its row goes, its configs move, the timeline says so.
      live.fleet.stop(SimulatedWorkerFleet.DEFAULT_ID_PREFIX + "1");
      wait.until(d -> runnerNames(d).equals(List.of("sim-worker-2", "sim-worker-3")));
      wait.until(d -> !d.findElements(By.cssSelector("#timeline li[data-kind='expired']")).isEmpty());
      wait.until(d -> d.findElement(By.cssSelector("#fleet-dispatched b")).getText().equals("13"));

      assertThat(driver.executeScript("return window.stillTheSamePage === true;")).isEqualTo(true);
    }
  }

  private static List<String> runnerNames(org.openqa.selenium.WebDriver d) {
    return d.findElements(By.cssSelector("#runners tbody tr")).stream()
        .map(tr -> tr.getAttribute("data-runner")).toList();
  }

  private static String configsOf(org.openqa.selenium.WebDriver d, String runner) {
    return d.findElement(By.cssSelector("#runners tr[data-runner='" + runner + "'] td.r-configs")).getText();
  }
}
