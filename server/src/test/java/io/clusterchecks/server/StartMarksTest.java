package io.clusterchecks.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start marks read CPU times from /proc stat files, whose command name may hold spaces and parentheses. */
class StartMarksTest {
  @Test
  void cpuTimeIsUserPlusSystemTicksAfterTheCommandName(@TempDir Path dir) throws Exception {
    Path stat = dir.resolve("stat");
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
    Files.writeString(stat, "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 123 45 0 0 20 0 30 0 9876\n");

    assertThat(StartMarks.cpuMillis(stat)).isEqualTo((123 + 45) * 10);
  }

  @Test
  void anUnreadableFileIsMinusOne(@TempDir Path dir) {
    assertThat(StartMarks.cpuMillis(dir.resolve("missing"))).isEqualTo(-1);
  }

  @Test
  void theMarksAreOffUnlessAsked() {
    assertThat(StartMarks.on()).isEqualTo(Boolean.getBoolean(StartMarks.PROPERTY)).isFalse();
  }

  @Test
  void thisProcessHasRunForSomeTimeAndUsedSomeCpu() {
    assertThat(StartMarks.sinceStart()).isPositive();
    assertThat(StartMarks.cpuMillis(Path.of("/proc/self/stat"))).isPositive();
  }
}
