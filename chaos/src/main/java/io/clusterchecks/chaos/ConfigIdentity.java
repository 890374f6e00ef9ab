package io.clusterchecks.chaos;

import io.clusterchecks.core.config.Config;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which conf.d file, at which revision, a config a worker received came from. The corpus writes a
 * {@code rev} into each instance; the agent's patch keeps it as one line of the instance YAML.
 *
 * @param file the file name, e.g. {@code cfg-00042.yaml}
 * @param revision the {@code rev} written in it
 */
record ConfigIdentity(String file, int revision) {
  private static final Pattern REV = Pattern.compile("(?m)^rev: (\\d+)$");

  static ConfigIdentity of(Config c) {
    String source = c.source();
    String file = source.substring(source.lastIndexOf('/') + 1);
    int rev = -1;
    if (!c.instances().isEmpty()) {
      Matcher m = REV.matcher(c.instances().get(0).text());
      if (m.find()) {
        rev = Integer.parseInt(m.group(1));
      }
    }
    return new ConfigIdentity(file, rev);
  }

  @Override
  public String toString() {
    return file + "@" + revision;
  }
}
