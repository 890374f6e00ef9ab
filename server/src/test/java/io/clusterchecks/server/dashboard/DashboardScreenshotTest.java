package io.clusterchecks.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;

/**
 * Twenty simulated runners with measured load, as the page shows them, saved as a PNG: to
 * {@code target/dashboard.png}, or where {@code -Ddashboard.screenshot=<path>} says (the image in
 * docs/ is made with {@code -Ddashboard.screenshot=$PWD/docs/dashboard.png}).
 */
class DashboardScreenshotTest {
  private static final int RUNNERS = 20;

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
  void twentyRunnersWithTheirLoadFitOnePage() throws Exception {
    Map<String, String> files = new LinkedHashMap<>();
    for (int i = 0; i < 24; i++) {
      files.put("postgres.d/db" + i + ".yaml", LiveAgent.check("host: db" + i + ".internal, password: secret, name: db" + i));
    }
    for (int i = 0; i < 60; i++) {
      files.put("http_check.d/web" + i + ".yaml", LiveAgent.check("url: 'https://web" + i + ".internal/health', name: web" + i));
    }
    for (int i = 0; i < 36; i++) {
      files.put("tcp_check.d/port" + i + ".yaml", LiveAgent.check("host: svc" + i + ".internal, port: 443, name: port" + i));
    }
    files.put("broken.d/bad.yaml", "cluster_check: true\ninstances:\n  - [unclosed\n");
    // A warmup long enough for twenty runners to report, so the configs spread over all of them.
    live = LiveAgent.start(tmp, RUNNERS, RUNNERS, files, 15);
    await().atMost(Duration.ofSeconds(30)).until(() -> live.agent.dispatcher().stats().activeConfigs() == 120);
    assertThat(live.agent.dispatcher().stats().nodeCount()).isEqualTo(RUNNERS);
    // Twenty runners' TLS listeners start at once on two cores: the first collection may time out.
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      live.agent.collectRunnerStats().get();
      var gauges = live.agent.registry().find("cluster_checks_busyness").gauges();
      return gauges.size() == RUNNERS && gauges.stream().allMatch(g -> Double.isFinite(g.value()));
    });
    String target = System.getProperty("dashboard.screenshot", "");
    boolean forDocs = !target.isEmpty();

    try (HeadlessChromium chromium = new HeadlessChromium(1400, 2200)) {
      var driver = chromium.driver;
      chromium.signIn(live.url, LiveAgent.TOKEN);
      var wait = chromium.waiting(Duration.ofSeconds(30));
      wait.until(d -> d.findElements(By.cssSelector("#runners tbody tr")).size() == RUNNERS);
      wait.until(d -> d.findElements(By.cssSelector("#runners tr[data-utilization='']")).isEmpty());
      if (forDocs) {
        // The chart draws lines from the third sample (one every 10 s); only worth waiting for in the docs.
        chromium.waiting(Duration.ofSeconds(60)).until(d -> Integer.parseInt(
            String.valueOf(d.findElement(By.id("chart")).getAttribute("data-points")).replace("null", "0")) >= 3);
        wait.until(d -> !d.findElements(By.cssSelector("#chart canvas")).isEmpty());
      }
      byte[] png = driver.getScreenshotAs(OutputType.BYTES);
      assertThat(png).hasSizeGreaterThan(10_000);
      Path out = forDocs ? Path.of(target) : Path.of("target", "dashboard.png");
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.write(out, png);
    }
  }
}
