package io.clusterchecks.server.cli;

import io.clusterchecks.server.api.TokenFileWatcher;
import io.clusterchecks.server.settings.AgentSettings;
import io.clusterchecks.server.settings.SettingsLoader;
import io.clusterchecks.worker.ClusterAgentClient;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How a CLI command reaches a running agent: {@code --url} and {@code --token}, defaulting to the
 * agent's own configuration (the same {@code -c} file and {@code DD_} variables), as the
 * reference's CLI reads the agent's config.
 */
final class ClientOptions {
  @Option(names = {"-c", "--config"}, description = "Agent configuration file (datadog-cluster.yaml style).")
  Path config;

  @Option(names = "--url", description = "Agent URL. Default: cluster_agent.url, else https://127.0.0.1:<cmd_port>.")
  String url;

  @Option(names = "--token", description = "Auth token. Default: cluster_agent.auth_token (DD_CLUSTER_AGENT_AUTH_TOKEN).")
  String token;

  ClusterAgentClient client() {
    AgentSettings s = SettingsLoader.fromProcess(config);
    String u = url != null ? url
        : !s.clusterAgent().url().isEmpty() ? s.clusterAgent().url()
        : (s.clusterAgent().tlsEnabled() ? "https" : "http") + "://127.0.0.1:" + s.clusterAgent().cmdPort();
    String t = token != null ? token : s.clusterAgent().authToken();
    if (t.isEmpty() && !s.clusterAgent().authTokenFile().isEmpty()) {
      try {
        t = TokenFileWatcher.read(Path.of(s.clusterAgent().authTokenFile()));
      } catch (IOException e) {
        throw new IllegalArgumentException("cluster_agent.auth_token_file: cannot read "
            + s.clusterAgent().authTokenFile() + " (" + TokenFileWatcher.why(e) + ")", e);
      }
    }
    if (t.isEmpty()) {
      throw new IllegalArgumentException("no token: pass --token or set cluster_agent.auth_token / DD_CLUSTER_AGENT_AUTH_TOKEN"
          + " or cluster_agent.auth_token_file");
    }
    return ClusterAgentClient.builder(u).token(t).allowPlainHttp(u.startsWith("http://")).build();
  }
}
