package io.clusterchecks.server.cli;

import io.clusterchecks.server.api.AgentVersion;
import picocli.CommandLine;

/** Reports the same version as the agent's {@code /version} endpoint. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    AgentVersion v = AgentVersion.current();
    String pre = v.pre().isEmpty() ? "" : "-" + v.pre();
    return new String[] {"clusterchecks " + v.major() + "." + v.minor() + "." + v.patch() + pre};
  }
}
