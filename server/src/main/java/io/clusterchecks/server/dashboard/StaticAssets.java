package io.clusterchecks.server.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The page's files, read once from the jar: the dashboard's own HTML, CSS and JavaScript and
 * uPlot from its WebJar. Only the names listed here are served, so no request path ever reaches
 * a class path lookup.
 */
final class StaticAssets {
  /** A file to serve. */
  record Asset(byte[] body, String contentType) {}

  private static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";

  /** URL path under {@code /dashboard/} to class path resource and content type. */
  private static final Map<String, String[]> FILES = Map.of(
      "", new String[] {"dashboard/index.html", "text/html; charset=utf-8"},
      "dashboard.js", new String[] {"dashboard/dashboard.js", "text/javascript; charset=utf-8"},
      "dashboard.css", new String[] {"dashboard/dashboard.css", "text/css; charset=utf-8"},
      "uPlot.min.css", new String[] {UPLOT + "uPlot.min.css", "text/css; charset=utf-8"},
      "uPlot.iife.min.js", new String[] {UPLOT + "uPlot.iife.min.js", "text/javascript; charset=utf-8"});

  private final Map<String, Asset> assets;

  StaticAssets() {
    Map<String, Asset> loaded = new HashMap<>();
    FILES.forEach((name, spec) -> loaded.put(name, new Asset(read(spec[0]), spec[1])));
    this.assets = Map.copyOf(loaded);
  }

  Optional<Asset> get(String name) {
    return Optional.ofNullable(assets.get(name));
  }

  private static byte[] read(String resource) {
    try (InputStream in = StaticAssets.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the dashboard resource " + resource + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the dashboard resource " + resource, e);
    }
  }
}
