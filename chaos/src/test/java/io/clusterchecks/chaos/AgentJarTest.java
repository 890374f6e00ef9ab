package io.clusterchecks.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterchecks.server.Agent;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The agent ships without the chaos suite: wherever the agent's classes come from, no chaos class is there. */
class AgentJarTest {
  @Test
  void theAgentsClassesHoldNoChaosClass() throws IOException, URISyntaxException {
    Path where = Path.of(Agent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    if (Files.isDirectory(where)) {
      assertThat(where.resolve("io/clusterchecks/server")).isDirectory();
      assertThat(where.resolve("io/clusterchecks/chaos")).doesNotExist();
    } else {
      try (JarFile jar = new JarFile(where.toFile()); Stream<String> names = jar.stream().map(e -> e.getName())) {
        assertThat(names.filter(n -> n.startsWith("io/clusterchecks/")))
            .isNotEmpty().noneMatch(n -> n.startsWith("io/clusterchecks/chaos/"));
      }
    }
  }
}
