package io.clusterchecks.server.confd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.ConfigData;
import io.clusterchecks.core.config.ConfigListener;
import io.clusterchecks.core.config.TemplateVariables;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfdSourceTest {
  private static final Duration FAST_RESCAN = Duration.ofMillis(200);

  private static final String HTTP_2 = """
      cluster_check: true
      init_config:
      instances:
        - name: a
          url: http://a.example
        - name: b
          url: http://b.example
      """;
  private static final String HTTP_3 = HTTP_2 + """
        - name: c
          url: http://c.example
      """;
  private static final String REDIS = """
      cluster_check: true
      instances:
        - host: redis.example
          port: 6379
      """;
  private static final String NOT_CLUSTER = """
      init_config:
      instances:
        - host: localhost
      """;
  private static final String BROKEN = """
      cluster_check: true
      instances:
        - name: a
         url: [unclosed
      """;

  enum Kind { SCHEDULE, UNSCHEDULE }

  record Event(Kind kind, List<Config> configs) {}

  /** Records every call, in order. */
  static final class Recorder implements ConfigListener {
    private final List<Event> events = new ArrayList<>();

    @Override
    public synchronized void schedule(List<Config> configs) {
      events.add(new Event(Kind.SCHEDULE, List.copyOf(configs)));
    }

    @Override
    public synchronized void unschedule(List<Config> configs) {
      events.add(new Event(Kind.UNSCHEDULE, List.copyOf(configs)));
    }

    synchronized List<Event> events() {
      return List.copyOf(events);
    }
  }

  @TempDir Path tmp;
  Path confd;
  Path staging;
  Recorder recorder;
  ConfdSource source;

  @BeforeEach
  void setUp() throws IOException {
    confd = tmp.resolve("conf.d");
    staging = Files.createDirectories(tmp.resolve("staging"));
    recorder = new Recorder();
  }

  @AfterEach
  void tearDown() {
    if (source != null) {
      source.close();
    }
  }

  private ConfdSource start(Duration rescan) {
    source = new ConfdSource(confd, recorder, rescan);
    source.start();
    return source;
  }

  /** Writes a file in one step, as a config management tool or Kubernetes would. */
  private Path write(String relative, String content) throws IOException {
    Path target = confd.resolve(relative);
    Files.createDirectories(target.getParent());
    Path tmpFile = Files.createTempFile(staging, "w", ".tmp");
    Files.writeString(tmpFile, content);
    return Files.move(tmpFile, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static Event schedule(Config... configs) {
    return new Event(Kind.SCHEDULE, List.of(configs));
  }

  private static Event unschedule(Config... configs) {
    return new Event(Kind.UNSCHEDULE, List.of(configs));
  }

  private void awaitEvents(int count) {
    await().atMost(Duration.ofSeconds(20)).until(() -> recorder.events().size() >= count);
    source.rescan(); // flush: anything still on disk but unprocessed would show up now
  }

  private Config configFrom(Path file) {
    return source.configs().stream()
        .filter(c -> c.source().equals("file:" + file.toAbsolutePath()))
        .findFirst().orElseThrow();
  }

  @Test
  void initialScanReadsBothLayoutsAndOnlyClusterChecks() throws IOException {
    Path http = write("http_check.d/conf.yaml", HTTP_2);
    Path redis = write("redisdb.yml", REDIS);
    write("ntp.yaml", NOT_CLUSTER);
    write("disk.d/conf.yaml", NOT_CLUSTER);
    write("tcp_check.d/conf.yaml.example", REDIS);
    Path tcpDefault = write("tcp_check.d/conf.yaml.default", REDIS); // no other tcp_check file: served
    write("tcp_check.d/deeper/conf.yaml", REDIS);
    write("notacheck/conf.yaml", REDIS);
    write("..data/hidden.yaml", REDIS);
    write("README.md", "not yaml at all: [");

    source = new ConfdSource(confd, recorder, FAST_RESCAN);
    assertThat(source.start()).isEqualTo(3);

    Config httpConfig = configFrom(http);
    Config redisConfig = configFrom(redis);
    Config tcpConfig = configFrom(tcpDefault);
    // default files are read last
    assertThat(recorder.events()).containsExactly(schedule(httpConfig, redisConfig, tcpConfig));
    assertThat(tcpConfig.checkName()).isEqualTo("tcp_check");
    assertThat(httpConfig.checkName()).isEqualTo("http_check");
    assertThat(httpConfig.instances()).hasSize(2);
    assertThat(httpConfig.initConfig()).isNull();
    assertThat(httpConfig.provider()).isEqualTo("file");
    assertThat(httpConfig.source()).isEqualTo("file:" + http.toAbsolutePath());
    assertThat(httpConfig.clusterCheck()).isTrue();
    assertThat(redisConfig.checkName()).isEqualTo("redisdb");
    assertThat(redisConfig.instances()).extracting(ConfigData::text)
        .containsExactly("host: redis.example\nport: 6379\n");
    assertThat(source.problems()).isEmpty();
  }

  @Test
  void addEditUnchangedRewriteAndDeleteProduceExactlyTheDifferences() throws IOException {
    Path http = write("http_check.d/conf.yaml", HTTP_2);
    start(FAST_RESCAN);
    Config v1 = configFrom(http);

    // add
    Path redis = write("redisdb.d/conf.yaml", REDIS);
    awaitEvents(2);
    Config redisConfig = configFrom(redis);
    assertThat(recorder.events()).containsExactly(schedule(v1), schedule(redisConfig));

    // edit: old out, new in
    write("http_check.d/conf.yaml", HTTP_3);
    awaitEvents(4);
    Config v2 = configFrom(http);
    assertThat(v2.instances()).hasSize(3);
    assertThat(recorder.events()).containsExactly(
        schedule(v1), schedule(redisConfig), unschedule(v1), schedule(v2));

    // rewrite with the same meaning (comments, key order, quoting): nothing
    write("http_check.d/conf.yaml", "# same config, new layout\n" + HTTP_3.replace("url: http://c.example", "url: 'http://c.example'"));
    source.rescan();
    assertThat(recorder.events()).hasSize(4);

    // delete
    Files.delete(redis);
    awaitEvents(5);
    assertThat(recorder.events()).containsExactly(
        schedule(v1), schedule(redisConfig), unschedule(v1), schedule(v2), unschedule(redisConfig));
    assertThat(source.configs()).containsExactly(v2);
  }

  @Test
  void filesWithTheSameDigestAreServedOnceAndACopyTakesOverWhenTheFirstGoes() throws IOException {
    Path first = write("redisdb.d/a.yaml", REDIS);
    Path copy = write("redisdb.d/b.yaml", "# the same, written differently\n" + REDIS.replace("port: 6379", "port: 0x18EB"));
    start(Duration.ofHours(1));
    Config served = configFrom(first);
    assertThat(source.configs()).containsExactly(served);
    assertThat(recorder.events()).containsExactly(schedule(served));

    // a new copy that sorts first does not take over: nothing running moves
    Path earlier = write("redisdb.d/0.yaml", REDIS);
    source.rescan();
    assertThat(recorder.events()).containsExactly(schedule(served));

    // the serving file goes: the first remaining copy in read order is served instead
    Files.delete(first);
    source.rescan();
    Config takeover = configFrom(earlier);
    assertThat(recorder.events()).containsExactly(schedule(served), unschedule(served), schedule(takeover));
    assertThat(source.configs()).containsExactly(takeover);
    assertThat(copy).exists();
  }

  @Test
  void aDefaultFileCountsOnlyForACheckNoOtherFileNames() throws IOException {
    Path fallback = write("redisdb.d/conf.yaml.default", REDIS);
    Path alsoDefault = write("http_check.yaml.default", HTTP_2);
    write("http_check.d/conf.yaml", NOT_CLUSTER);
    start(Duration.ofHours(1));
    // redisdb has only its default file: served; http_check is named by a regular (non-cluster) file
    assertThat(source.configs()).extracting(Config::source)
        .containsExactly("file:" + fallback.toAbsolutePath());
    assertThat(alsoDefault).exists();

    // a regular file for redisdb arrives: the default one stops counting
    Path regular = write("redisdb.d/conf.yaml", REDIS.replace("redis.example", "redis2.example"));
    source.rescan();
    assertThat(source.configs()).extracting(Config::source)
        .containsExactly("file:" + regular.toAbsolutePath());
  }

  @Test
  void aFileIsReadAgainOnlyWhenItsStampChangesAndEventsReadOnlyTheirDirectory() throws IOException {
    write("http_check.d/conf.yaml", HTTP_2);
    write("redisdb.d/conf.yaml", REDIS);
    write("ntp.yaml", NOT_CLUSTER);
    start(Duration.ofHours(1));
    assertThat(source.filesRead()).isEqualTo(3);

    source.rescan(); // nothing changed: a stat per file, no read
    assertThat(source.filesRead()).isEqualTo(3);

    // a change in one directory: the watcher reads that file and no other
    write("redisdb.d/conf.yaml", REDIS.replace("6379", "6380"));
    await().atMost(Duration.ofSeconds(20)).until(() -> source.configs().stream()
        .anyMatch(c -> c.instances().get(0).text().contains("6380")));
    assertThat(source.filesRead()).isEqualTo(4);
  }

  @Test
  void watchEventsAloneTriggerReloads() throws IOException {
    start(Duration.ofHours(1)); // no periodic rescan within the test
    Path redis = write("redisdb.yaml", REDIS);
    await().atMost(Duration.ofSeconds(30)).until(() -> recorder.events().size() == 1);
    assertThat(recorder.events()).containsExactly(schedule(configFrom(redis)));

    // a check directory created after start is watched too
    Path http = write("http_check.d/conf.yaml", HTTP_2);
    await().atMost(Duration.ofSeconds(30)).until(() -> recorder.events().size() == 2);
    Config v1 = configFrom(http);
    write("http_check.d/conf.yaml", HTTP_3);
    await().atMost(Duration.ofSeconds(30)).until(() -> recorder.events().size() == 4);
    assertThat(recorder.events().subList(1, 4))
        .containsExactly(schedule(v1), unschedule(v1), schedule(configFrom(http)));
  }

  @Test
  void brokenYamlIsReportedWithItsLineAndSkippedWhileTheRestLoads() throws IOException {
    Path broken = write("tcp_check.d/conf.yaml", BROKEN);
    Path redis = write("redisdb.yaml", REDIS);
    assertThat(start(FAST_RESCAN).configs()).hasSize(1);
    assertThat(recorder.events()).containsExactly(schedule(configFrom(redis)));
    assertThat(source.problems()).containsOnlyKeys(broken.toAbsolutePath());
    assertThat(source.problems().get(broken.toAbsolutePath())).contains("line 4, column");

    // fixing it loads it
    write("tcp_check.d/conf.yaml", HTTP_2);
    awaitEvents(2);
    assertThat(recorder.events().get(1)).isEqualTo(schedule(configFrom(broken)));
    assertThat(source.problems()).isEmpty();
  }

  @Test
  void aFileThatBreaksKeepsItsPreviousConfig() throws IOException {
    Path http = write("http_check.d/conf.yaml", HTTP_2);
    start(FAST_RESCAN);
    Config v1 = configFrom(http);

    write("http_check.d/conf.yaml", BROKEN);
    await().atMost(Duration.ofSeconds(20)).until(() -> source.problems().containsKey(http.toAbsolutePath()));
    assertThat(source.configs()).containsExactly(v1);

    // a half-written (empty) save is no reason to drop it either
    write("http_check.d/conf.yaml", "");
    await().atMost(Duration.ofSeconds(20))
        .until(() -> "file is empty".equals(source.problems().get(http.toAbsolutePath())));
    assertThat(source.configs()).containsExactly(v1);

    // fixed back to what it was: nothing to tell the listener
    write("http_check.d/conf.yaml", HTTP_2);
    await().atMost(Duration.ofSeconds(20)).until(() -> source.problems().isEmpty());
    source.rescan();
    assertThat(recorder.events()).containsExactly(schedule(v1));

    // broken again, then fixed with a change: old out, new in
    write("http_check.d/conf.yaml", BROKEN);
    await().atMost(Duration.ofSeconds(20)).until(() -> !source.problems().isEmpty());
    write("http_check.d/conf.yaml", HTTP_3);
    awaitEvents(3);
    assertThat(recorder.events()).containsExactly(schedule(v1), unschedule(v1), schedule(configFrom(http)));
  }

  @Test
  void removingClusterCheckUnschedulesAndAddingItSchedules() throws IOException {
    Path ntp = write("ntp.yaml", NOT_CLUSTER);
    assertThat(start(FAST_RESCAN).configs()).isEmpty();
    write("ntp.yaml", "cluster_check: true\n" + NOT_CLUSTER);
    awaitEvents(1);
    Config c = configFrom(ntp);
    write("ntp.yaml", NOT_CLUSTER);
    awaitEvents(2);
    assertThat(recorder.events()).containsExactly(schedule(c), unschedule(c));
  }

  @Test
  void missingDirectoryIsPickedUpWhenCreated() throws IOException {
    assertThat(Files.exists(confd)).isFalse();
    source = new ConfdSource(confd, recorder, FAST_RESCAN);
    assertThat(source.start()).isZero();
    assertThat(recorder.events()).isEmpty();

    Path http = write("http_check.d/conf.yaml", HTTP_2);
    awaitEvents(1);
    assertThat(recorder.events()).containsExactly(schedule(configFrom(http)));

    // and a directory deleted with its files unschedules them
    Config c = configFrom(http);
    Files.delete(http);
    Files.delete(http.getParent());
    awaitEvents(2);
    assertThat(recorder.events()).containsExactly(schedule(c), unschedule(c));
  }

  @Test
  void emptyDirectoryLoadsNothingAndKeepsWatching() throws IOException {
    Files.createDirectories(confd);
    assertThat(start(FAST_RESCAN).configs()).isEmpty();
    Path redis = write("redisdb.yaml", REDIS);
    awaitEvents(1);
    assertThat(recorder.events()).containsExactly(schedule(configFrom(redis)));
  }

  @Test
  void aFailingListenerDoesNotStopTheWatcher() throws IOException {
    AtomicBoolean failNext = new AtomicBoolean(true);
    Recorder inner = recorder;
    ConfigListener flaky = new ConfigListener() {
      @Override
      public void schedule(List<Config> configs) {
        inner.schedule(configs);
        if (failNext.getAndSet(false)) {
          throw new IllegalStateException("boom");
        }
      }

      @Override
      public void unschedule(List<Config> configs) {
        inner.unschedule(configs);
      }
    };
    Files.createDirectories(confd);
    source = new ConfdSource(confd, flaky, FAST_RESCAN);
    source.start();
    write("redisdb.yaml", REDIS);
    awaitEvents(1);
    write("http_check.yaml", HTTP_2);
    awaitEvents(2);
    assertThat(recorder.events()).extracting(Event::kind).containsExactly(Kind.SCHEDULE, Kind.SCHEDULE);
  }

  @Test
  void lifecycle() {
    source = new ConfdSource(confd, recorder, FAST_RESCAN);
    source.start();
    assertThatThrownBy(source::start).isInstanceOf(IllegalStateException.class);
    source.close();
    source.close();
    assertThatThrownBy(() -> new ConfdSource(confd, recorder, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aParserFailureIsThatFilesProblemWhileTheRestLoads() throws IOException {
    // a variable source that throws stands for a bug in parsing: it used to abort the whole scan
    TemplateVariables.Variables failing = (name, key) -> {
      if (key.equals("BOOM")) {
        throw new IllegalStateException("boom");
      }
      throw new TemplateVariables.Unresolved("unset");
    };
    Path bad = write("http_check.d/conf.yaml", HTTP_2.replace("http://a.example", "http://%%env_BOOM%%"));
    Path redis = write("redisdb.yaml", REDIS);
    source = new ConfdSource(confd, recorder, Duration.ofHours(1), failing);
    assertThat(source.start()).isEqualTo(1);
    assertThat(recorder.events()).containsExactly(schedule(configFrom(redis)));
    assertThat(source.problems()).containsOnlyKeys(bad.toAbsolutePath());
    assertThat(source.problems().get(bad.toAbsolutePath())).startsWith("cannot parse: ").contains("boom");
  }

  /** A config of its own for file {@code i}: a distinct URL. */
  private static String http(int i) {
    return "cluster_check: true\ninstances:\n  - name: svc\n    url: http://svc-" + i + ".example\n";
  }

  @Test
  void aScanOfManySlicesSeesWhatIsAddedChangedAndRemovedAcrossDirectories() throws IOException {
    long seed = System.nanoTime();
    System.out.println("ConfdSourceTest seed " + seed);
    Random random = new Random(seed);
    // enough files that the scan checks them in slices on the pool while it lists
    int dirs = 4;
    int perDir = 300 + random.nextInt(300);
    java.util.Map<Path, String> expected = new java.util.TreeMap<>();
    int n = 0;
    for (int d = 0; d < dirs; d++) {
      for (int f = 0; f < perDir; f++) {
        String content = random.nextInt(10) == 0 ? NOT_CLUSTER : http(n);
        Path p = write("check" + d + ".d/" + String.format("%04d", f) + ".yaml", content);
        if (content != NOT_CLUSTER) {
          expected.put(p.toAbsolutePath(), "file:" + p.toAbsolutePath());
        }
        n++;
      }
    }
    // the same config in the last directory's first and last files, slices apart: served once, by the first
    Path first = write("check" + (dirs - 1) + ".d/!first.yaml", http(n - 1));
    Path last = confd.resolve("check" + (dirs - 1) + ".d/" + String.format("%04d", perDir - 1) + ".yaml");
    expected.put(first.toAbsolutePath(), "file:" + first.toAbsolutePath());
    expected.remove(last.toAbsolutePath());
    Files.writeString(last, http(n - 1));
    start(Duration.ofHours(1));
    assertThat(source.configs()).extracting(Config::source).as("seed %d", seed)
        .containsExactlyInAnyOrderElementsOf(expected.values());
    assertThat(source.problems()).isEmpty();

    // between scans: a directory goes, files go, change and appear in the others
    deleteTree(confd.resolve("check1.d"));
    expected.keySet().removeIf(p -> p.getParent().getFileName().toString().equals("check1.d"));
    for (int f = 0; f < perDir; f += 1 + random.nextInt(20)) {
      Path gone = confd.resolve("check0.d/" + String.format("%04d", f) + ".yaml");
      Files.delete(gone);
      expected.remove(gone.toAbsolutePath());
      Path changed = write("check2.d/" + String.format("%04d", f) + ".yaml", http(100_000 + f));
      expected.put(changed.toAbsolutePath(), "file:" + changed.toAbsolutePath());
      Path added = write("check3.d/new-" + f + ".yaml", http(200_000 + f));
      expected.put(added.toAbsolutePath(), "file:" + added.toAbsolutePath());
    }
    Files.delete(first); // the copy left takes over
    expected.remove(first.toAbsolutePath());
    expected.put(last.toAbsolutePath(), "file:" + last.toAbsolutePath());
    source.rescan();
    assertThat(source.configs()).extracting(Config::source).as("seed %d", seed)
        .containsExactlyInAnyOrderElementsOf(expected.values());
    assertThat(source.configs().stream().filter(c -> c.source().contains("check2.d/0000.yaml")).findFirst()
        .orElseThrow().instances().get(0).text()).as("seed %d", seed).contains("svc-100000");
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
  }

  @Test
  void bundledExamplesLoad() throws URISyntaxException {
    Path examples = Path.of(getClass().getResource("/examples/conf.d").toURI());
    source = new ConfdSource(examples, recorder, Duration.ofHours(1));
    assertThat(source.start()).isEqualTo(8);
    assertThat(source.configs())
        .extracting(Config::checkName, c -> c.instances().size())
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("http_check", 3),
            org.assertj.core.groups.Tuple.tuple("http_check", 2),
            org.assertj.core.groups.Tuple.tuple("dns_check", 1),
            org.assertj.core.groups.Tuple.tuple("redisdb", 1),
            org.assertj.core.groups.Tuple.tuple("mysql", 1),
            org.assertj.core.groups.Tuple.tuple("tls", 1),
            org.assertj.core.groups.Tuple.tuple("tcp_check", 2),
            org.assertj.core.groups.Tuple.tuple("postgres", 1));
    assertThat(source.problems()).isEmpty();
  }
}
