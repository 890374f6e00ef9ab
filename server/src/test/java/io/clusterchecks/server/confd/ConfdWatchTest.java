package io.clusterchecks.server.confd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.server.confd.ConfdSourceTest.Recorder;
import io.clusterchecks.server.confd.ConfdWatcher.Changes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.Watchable;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * conf.d followed by file-system events: each change is picked up by checking what the event
 * names, nothing is listed or stat'ed while nothing changes, and lost events lead to a listing.
 */
class ConfdWatchTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path tmp;
  Path confd;
  Path staging;
  Recorder recorder;
  ConfdSource source;

  @BeforeEach
  void setUp() throws IOException {
    confd = Files.createDirectories(tmp.resolve("conf.d"));
    staging = Files.createDirectories(tmp.resolve("staging"));
    recorder = new Recorder();
  }

  @AfterEach
  void tearDown() {
    if (source != null) {
      source.close();
    }
  }

  private static String redis(int port) {
    return "cluster_check: true\ninstances:\n  - host: redis.example\n    port: " + port + "\n";
  }

  private Path write(Path target, String content) throws IOException {
    Files.createDirectories(target.getParent());
    Path tmpFile = Files.createTempFile(staging, "w", ".tmp");
    Files.writeString(tmpFile, content);
    return Files.move(tmpFile, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private ConfdSource start() {
    source = new ConfdSource(confd, recorder, ConfdSource.NO_RESCAN);
    source.start();
    return source;
  }

  /** The sources served now. */
  private Set<String> served() {
    return source.configs().stream().map(Config::source).collect(Collectors.toSet());
  }

  private static String src(Path file) {
    return "file:" + file.toAbsolutePath();
  }

  private void awaitServed(Path... files) {
    Set<String> expected = java.util.Arrays.stream(files).map(ConfdWatchTest::src).collect(Collectors.toSet());
    await().atMost(WAIT).until(() -> served().equals(expected));
  }

  @Test
  void filesAddedEditedRenamedAndDeletedArePickedUpFromEventsAlone() throws IOException {
    Path a = write(confd.resolve("redisdb.d/a.yaml"), redis(1));
    start();
    long checkedAtStart = source.filesChecked();
    assertThat(served()).containsExactly(src(a));

    Path b = write(confd.resolve("redisdb.d/b.yaml"), redis(2));
    awaitServed(a, b);

    write(a, redis(3));
    await().atMost(WAIT).until(() -> source.configs().stream()
        .anyMatch(c -> c.source().equals(src(a)) && c.instances().get(0).text().contains("3")));

    Path renamed = confd.resolve("redisdb.d/c.yaml");
    Files.move(b, renamed, StandardCopyOption.ATOMIC_MOVE);
    awaitServed(a, renamed);
    assertThat(source.configs()).filteredOn(c -> c.source().equals(src(renamed)))
        .singleElement().satisfies(c -> assertThat(c.instances().get(0).text()).contains("port: 2"));

    Files.delete(a);
    awaitServed(renamed);

    // a root-level file too
    Path top = write(confd.resolve("http_check.yaml"), redis(4));
    awaitServed(renamed, top);

    // every step checked the files its event named, never the whole conf.d again
    assertThat(source.fullScans()).isEqualTo(1);
    assertThat(source.filesChecked() - checkedAtStart).isLessThan(20);
  }

  @Test
  void directoriesCreatedMovedInRenamedAndDeletedArePickedUp() throws IOException {
    start();
    // created, then filled
    Path first = write(confd.resolve("redisdb.d/conf.yaml"), redis(1));
    awaitServed(first);

    // moved in whole from elsewhere: its files never had events of their own
    write(staging.resolve("mysql.d/one.yaml"), redis(2));
    write(staging.resolve("mysql.d/two.yaml"), redis(3));
    Files.move(staging.resolve("mysql.d"), confd.resolve("mysql.d"), StandardCopyOption.ATOMIC_MOVE);
    Path one = confd.resolve("mysql.d/one.yaml");
    Path two = confd.resolve("mysql.d/two.yaml");
    awaitServed(first, one, two);
    assertThat(source.configs()).extracting(Config::checkName).containsOnly("redisdb", "mysql");

    // renamed: its configs now name another check, and it is still followed under its new name
    Files.move(confd.resolve("mysql.d"), confd.resolve("postgres.d"), StandardCopyOption.ATOMIC_MOVE);
    Path movedOne = confd.resolve("postgres.d/one.yaml");
    Path movedTwo = confd.resolve("postgres.d/two.yaml");
    awaitServed(first, movedOne, movedTwo);
    assertThat(source.configs()).extracting(Config::checkName).containsOnly("redisdb", "postgres");
    Path three = write(confd.resolve("postgres.d/three.yaml"), redis(5));
    awaitServed(first, movedOne, movedTwo, three);

    // deleted with its files
    Files.delete(movedOne);
    Files.delete(movedTwo);
    Files.delete(three);
    Files.delete(confd.resolve("postgres.d"));
    awaitServed(first);
    assertThat(source.fullScans()).isEqualTo(1);
  }

  @Test
  void nothingIsListedOrStatedWhileNothingChanges() throws IOException {
    for (int i = 0; i < 50; i++) {
      write(confd.resolve("redisdb.d/" + i + ".yaml"), redis(i + 1));
    }
    start();
    assertThat(source.filesChecked()).isEqualTo(50);
    assertThat(source.filesRead()).isEqualTo(50);
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
        .until(() -> source.filesChecked() == 50 && source.fullScans() == 1);

    // the counters do see a periodic rescan when one is set
    source.close();
    source = new ConfdSource(confd, new Recorder(), Duration.ofMillis(100));
    source.start();
    await().atMost(WAIT).until(() -> source.fullScans() >= 3 && source.filesChecked() >= 150);
    assertThat(source.filesRead()).isEqualTo(50);
  }

  @Test
  void aBurstOfFilesIsLoadedWhetherOrNotEventsOverflow() throws IOException {
    start();
    // more than a watch key queues (512 events) before it is drained
    Path dir = Files.createDirectories(staging.resolve("burst"));
    for (int i = 0; i < 1_500; i++) {
      Files.writeString(dir.resolve(i + ".yaml"), redis(i + 1));
    }
    Files.createDirectories(confd.resolve("redisdb.d"));
    for (int i = 0; i < 1_500; i++) {
      Files.move(dir.resolve(i + ".yaml"), confd.resolve("redisdb.d/" + i + ".yaml"), StandardCopyOption.ATOMIC_MOVE);
    }
    await().atMost(WAIT).until(() -> source.configs().size() == 1_500);
  }

  @Test
  void lostEventsListTheDirectoryTheyWereLostInAndEverythingForConfdItself() throws IOException {
    Path checkDir = Files.createDirectories(confd.resolve("redisdb.d"));
    try (ConfdWatcher watcher = ConfdWatcher.open(confd)) {
      assertThat(watcher.changesOf(new Signalled(checkDir, StandardWatchEventKinds.OVERFLOW, null)))
          .isEqualTo(new Changes(false, Set.of(checkDir), Set.of()));
      assertThat(watcher.changesOf(new Signalled(confd, StandardWatchEventKinds.OVERFLOW, null)))
          .isEqualTo(Changes.everything());
      // Kubernetes swapped ..data: every file may have changed
      assertThat(watcher.changesOf(new Signalled(checkDir, StandardWatchEventKinds.ENTRY_CREATE, Path.of("..data"))))
          .isEqualTo(new Changes(false, Set.of(checkDir), Set.of()));
      // an ordinary event names its file, or its check directory at the top
      assertThat(watcher.changesOf(new Signalled(checkDir, StandardWatchEventKinds.ENTRY_MODIFY, Path.of("a.yaml"))))
          .isEqualTo(new Changes(false, Set.of(), Set.of(checkDir.resolve("a.yaml"))));
      assertThat(watcher.changesOf(new Signalled(confd, StandardWatchEventKinds.ENTRY_DELETE, Path.of("mysql.d"))))
          .isEqualTo(new Changes(false, Set.of(confd.resolve("mysql.d")), Set.of()));
    }
  }

  @Test
  void anOverflowScansAndPicksUpWhatNoEventReported() throws IOException {
    Path file = write(confd.resolve("redisdb.d/conf.yaml"), redis(1));
    // a second name for the file outside conf.d: writing through it reports nothing in conf.d
    Path outside = staging.resolve("link.yaml");
    Files.createLink(outside, file);
    start();
    Files.writeString(outside, redis(2));
    // an event elsewhere is handled alone: the silent edit stays unseen
    Path other = write(confd.resolve("mysql.yaml"), redis(9));
    awaitServed(file, other);
    assertThat(source.configs()).filteredOn(c -> c.source().equals(src(file)))
        .singleElement().satisfies(c -> assertThat(c.instances().get(0).text()).contains("port: 1"));

    try (ConfdWatcher watcher = ConfdWatcher.open(confd)) {
      source.changed(watcher.changesOf(new Signalled(confd.resolve("redisdb.d"), StandardWatchEventKinds.OVERFLOW, null)));
    }
    assertThat(source.configs()).filteredOn(c -> c.source().equals(src(file)))
        .singleElement().satisfies(c -> assertThat(c.instances().get(0).text()).contains("port: 2"));
  }

  /**
   * A watch key signalled with one event, as the JDK hands them out. The JDK queues at most 512
   * events per key before replacing them with an overflow, and the kernel drops events when its
   * queue is full; neither can be caused on purpose here, so the event is built.
   */
  private record Signalled(Path dir, WatchEvent.Kind<?> kind, Path name) implements WatchKey {
    @Override
    public boolean isValid() {
      return true;
    }

    @Override
    public List<WatchEvent<?>> pollEvents() {
      return List.of(new WatchEvent<Path>() {
        @SuppressWarnings("unchecked")
        @Override
        public Kind<Path> kind() {
          return (Kind<Path>) Signalled.this.kind;
        }

        @Override
        public int count() {
          return 1;
        }

        @Override
        public Path context() {
          return name;
        }
      });
    }

    @Override
    public boolean reset() {
      return true;
    }

    @Override
    public void cancel() {}

    @Override
    public Watchable watchable() {
      return dir;
    }
  }
}
