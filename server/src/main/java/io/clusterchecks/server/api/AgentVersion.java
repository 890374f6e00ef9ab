package io.clusterchecks.server.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The body of {@code GET /version}, in the reference agent's shape
 * ({@code {"Major":7,"Minor":50,"Patch":1,"Pre":"","Meta":"","Commit":""}}), built from this
 * project's version. Workers call it once when they build their client and only log it.
 */
public record AgentVersion(
    @JsonProperty("Major") int major,
    @JsonProperty("Minor") int minor,
    @JsonProperty("Patch") int patch,
    @JsonProperty("Pre") String pre,
    @JsonProperty("Meta") String meta,
    @JsonProperty("Commit") String commit) {

  private static final Pattern SEMVER =
      Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)(?:-([0-9A-Za-z.-]+))?(?:\\+([0-9A-Za-z.-]+))?");
  private static final List<String> POM_PROPERTIES = List.of(
      "/META-INF/maven/io.clusterchecks/clusterchecks-server/pom.properties",
      "/META-INF/maven/io.clusterchecks/clusterchecks-core/pom.properties");

  /** Parses {@code 1.2.3[-pre][+meta]}; anything else reads as 0.0.0 with the text in Meta. */
  public static AgentVersion parse(String version) {
    Matcher m = SEMVER.matcher(version == null ? "" : version.trim());
    if (!m.matches()) {
      return new AgentVersion(0, 0, 0, "", version == null ? "" : version.trim(), "");
    }
    return new AgentVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
        Integer.parseInt(m.group(3)), nonNull(m.group(4)), nonNull(m.group(5)), "");
  }

  /**
   * This build's version: the Maven descriptor packed in our jars (the shaded jar keeps them),
   * then the jar manifest, else 0.0.0 (classes run from a directory, e.g. in an IDE).
   */
  public static AgentVersion current() {
    for (String resource : POM_PROPERTIES) {
      try (InputStream in = AgentVersion.class.getResourceAsStream(resource)) {
        if (in != null) {
          Properties p = new Properties();
          p.load(in);
          String v = p.getProperty("version");
          if (v != null && !v.isBlank()) {
            return parse(v);
          }
        }
      } catch (IOException e) {
        // try the next source
      }
    }
    String implementation = AgentVersion.class.getPackage().getImplementationVersion();
    return parse(implementation == null ? "0.0.0" : implementation);
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }
}
