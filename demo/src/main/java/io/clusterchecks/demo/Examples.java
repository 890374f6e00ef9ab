package io.clusterchecks.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Copies the bundled example conf.d (from the jar or the classes folder) to a real folder. */
final class Examples {
  private static final String ROOT = "/examples/conf.d";

  private Examples() {}

  static int extractTo(Path target) {
    URL url = Examples.class.getResource(ROOT);
    if (url == null) {
      throw new IllegalStateException("the example configs are missing from the build (" + ROOT + ")");
    }
    try {
      URI uri = url.toURI();
      if ("jar".equals(uri.getScheme())) {
        try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of())) {
          return copy(fs.getPath(ROOT), target);
        }
      }
      return copy(Path.of(uri), target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the example configs to " + target, e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int copy(Path source, Path target) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(source)) {
      files = s.filter(Files::isRegularFile).toList();
    }
    for (Path f : files) {
      Path dest = target.resolve(source.relativize(f).toString());
      Files.createDirectories(dest.getParent());
      Files.copy(f, dest);
    }
    return files.size();
  }
}
