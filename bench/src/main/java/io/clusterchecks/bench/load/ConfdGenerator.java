package io.clusterchecks.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;

/**
 * Writes a conf.d of one-instance {@code http_check} files, 10,000 to a {@code <check>.d}
 * directory, and reuses one written before for the same count (writing a million files takes
 * minutes; a marker file records the count).
 */
final class ConfdGenerator {
  static final int FILES_PER_DIR = 10_000;
  private static final String MARKER = ".generated";

  private ConfdGenerator() {}

  /** The text of config {@code i}: a distinct URL, so every file is a distinct config. */
  static String config(int i) {
    return "cluster_check: true\n"
        + "init_config:\n"
        + "instances:\n"
        + "  - name: svc-" + i + "\n"
        + "    url: http://10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255) + ":8080/health\n"
        + "    timeout: 5\n"
        + "    tags:\n"
        + "      - team:load\n"
        + "      - service:svc-" + i + "\n";
  }

  /** Makes {@code confd} hold exactly {@code count} generated files. */
  static void generate(Path confd, int count) throws IOException {
    Path marker = confd.resolve(MARKER);
    if (Files.exists(marker) && Files.readString(marker).strip().equals(Integer.toString(count))) {
      return;
    }
    if (Files.exists(confd)) {
      try (var walk = Files.walk(confd)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
          try {
            Files.delete(p);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
      }
    }
    int dirs = (count + FILES_PER_DIR - 1) / FILES_PER_DIR;
    for (int d = 0; d < dirs; d++) {
      Files.createDirectories(dir(confd, d));
    }
    IntStream.range(0, count).parallel().forEach(i -> {
      Path file = dir(confd, i / FILES_PER_DIR).resolve(String.format("svc-%07d.yaml", i));
      try {
        Files.write(file, config(i).getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    Files.writeString(marker, Integer.toString(count));
  }

  private static Path dir(Path confd, int d) {
    return confd.resolve(String.format("http_check_%03d.d", d));
  }
}
