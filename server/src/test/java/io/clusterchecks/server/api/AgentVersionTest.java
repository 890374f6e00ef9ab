package io.clusterchecks.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterchecks.core.config.ConfigCodec;
import org.junit.jupiter.api.Test;

class AgentVersionTest {

  @Test
  void parsesSemanticVersions() {
    assertThat(AgentVersion.parse("0.1.0-SNAPSHOT"))
        .isEqualTo(new AgentVersion(0, 1, 0, "SNAPSHOT", "", ""));
    assertThat(AgentVersion.parse("7.50.3")).isEqualTo(new AgentVersion(7, 50, 3, "", "", ""));
    assertThat(AgentVersion.parse("1.2.3-rc.1+git.abc"))
        .isEqualTo(new AgentVersion(1, 2, 3, "rc.1", "git.abc", ""));
    assertThat(AgentVersion.parse("dev")).isEqualTo(new AgentVersion(0, 0, 0, "", "dev", ""));
  }

  @Test
  void serialisesWithTheAgentsFieldNames() {
    assertThat(ConfigCodec.toJsonString(new AgentVersion(7, 50, 3, "rc.1", "", "abc")))
        .isEqualTo("{\"Major\":7,\"Minor\":50,\"Patch\":3,\"Pre\":\"rc.1\",\"Meta\":\"\",\"Commit\":\"abc\"}");
  }

  @Test
  void currentComesFromTheMavenDescriptorOfOurJars() throws Exception {
    // With -pl server the modules come as jars, which carry the descriptor; in a reactor build
    // they come as class directories, which do not.
    String version = null;
    for (String module : new String[] {"clusterchecks-server", "clusterchecks-core"}) {
      try (var in = AgentVersion.class.getResourceAsStream(
          "/META-INF/maven/io.clusterchecks/" + module + "/pom.properties")) {
        if (in != null && version == null) {
          var p = new java.util.Properties();
          p.load(in);
          version = p.getProperty("version");
        }
      }
    }
    assertThat(AgentVersion.current())
        .isEqualTo(AgentVersion.parse(version == null ? "0.0.0" : version));
  }
}
