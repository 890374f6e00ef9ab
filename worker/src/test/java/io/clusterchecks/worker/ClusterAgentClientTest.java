package io.clusterchecks.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.wire.ConfigResponse;
import io.clusterchecks.core.wire.NodeStatus;
import io.clusterchecks.core.wire.NodeType;
import io.clusterchecks.core.wire.StateResponse;
import io.clusterchecks.worker.ClusterAgentException.Kind;
import io.clusterchecks.worker.FakeClusterAgent.Received;
import io.clusterchecks.worker.FakeClusterAgent.Reply;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterAgentClientTest {
  private FakeClusterAgent agent;

  @BeforeEach
  void startAgent() {
    agent = FakeClusterAgent.startPlain();
  }

  @AfterEach
  void stopAgent() {
    agent.close();
  }

  private ClusterAgentClient.Builder client() {
    return ClusterAgentClient.builder(agent.url()).token(FakeClusterAgent.TOKEN).allowPlainHttp(true);
  }

  @Test
  void nominalClientParsesStatusAndConfigs() throws Exception {
    // docs/reference/scenarios.md item 52, with the exact bodies of the reference's test.
    agent.overrideStatus(new Reply(200, "{\"isuptodate\":true}"));
    agent.overrideConfigs(new Reply(200, "{\"last_change\":42,\"configs\":[{\"check_name\":\"one\"},{\"check_name\":\"two\"}]}"));
    ClusterAgentClient c = client().build();

    assertThat(c.postStatus("node1", new NodeStatus(0, NodeType.CLC_RUNNER)).isUpToDate()).isTrue();
    ConfigResponse configs = c.getConfigs("node1");
    assertThat(configs.lastChange()).isEqualTo(42);
    assertThat(configs.configs()).extracting(Config::checkName).containsExactly("one", "two");

    agent.overrideStatus(new Reply(200, "{\"isuptodate\":false}"));
    assertThat(c.postStatus("node1", new NodeStatus(0, NodeType.CLC_RUNNER)).isUpToDate()).isFalse();
  }

  @Test
  void sendsTokenRealIpAndStatusBody() throws Exception {
    ClusterAgentClient c = client().realIp("10.4.0.7").build();
    c.postStatus("runner-a", new NodeStatus(1718000000123456789L, NodeType.CLC_RUNNER));
    c.getConfigs("runner-a");

    List<Received> got = agent.received();
    assertThat(got).hasSize(2);
    assertThat(got).allSatisfy(r -> {
      assertThat(r.authorization()).isEqualTo("Bearer " + FakeClusterAgent.TOKEN);
      assertThat(r.realIp()).isEqualTo("10.4.0.7");
    });
    Received status = got.get(0);
    assertThat(status.method()).isEqualTo("POST");
    assertThat(status.rawPath()).isEqualTo("/api/v1/clusterchecks/status/runner-a");
    assertThat(status.contentType()).isEqualTo("application/json");
    assertThat(status.body()).isEqualTo("{\"last_change\":1718000000123456789,\"node_type\":1}");
    assertThat(got.get(1).rawPath()).isEqualTo("/api/v1/clusterchecks/configs/runner-a");
  }

  @Test
  void emptyRealIpSendsNoHeader() throws Exception {
    ClusterAgentClient c = client().realIp("").build();
    c.postStatus("n", new NodeStatus(0, NodeType.NODE_AGENT));
    ClusterAgentClient c2 = client().realIp(null).build();
    c2.postStatus("n", new NodeStatus(0, NodeType.NODE_AGENT));

    assertThat(agent.received()).extracting(Received::realIp).containsExactly(null, null);
    assertThat(agent.received().get(0).body()).isEqualTo("{\"last_change\":0,\"node_type\":2}");
  }

  @Test
  void pathSegmentsArePercentEncoded() throws Exception {
    ClusterAgentClient c = client().build();
    c.postStatus("runner a+é", new NodeStatus(0, NodeType.CLC_RUNNER));
    assertThat(agent.received().get(0).rawPath()).isEqualTo("/api/v1/clusterchecks/status/runner%20a%2B%C3%A9");

    assertThat(ClusterAgentClient.encodeSegment("a/b?c#d")).isEqualTo("a%2Fb%3Fc%23d");
    assertThat(ClusterAgentClient.encodeSegment("ip-10-0-0-1.ec2_internal~x")).isEqualTo("ip-10-0-0-1.ec2_internal~x");
  }

  @Test
  void wrongOrMissingTokenIsARemoteErrorWithStatusAndBody() {
    ClusterAgentClient wrong = ClusterAgentClient.builder(agent.url()).token("not-the-token").allowPlainHttp(true).build();
    assertThatThrownBy(() -> wrong.getConfigs("n"))
        .isInstanceOfSatisfying(ClusterAgentException.class, e -> {
          assertThat(e.kind()).isEqualTo(Kind.REMOTE);
          assertThat(e.isRemoteServiceError()).isTrue();
          assertThat(e.statusCode()).isEqualTo(403);
          assertThat(e.body()).isEqualTo("invalid session token");
          assertThat(e.getMessage()).contains("403").doesNotContain("not-the-token");
        });
    assertThat(wrong.toString()).doesNotContain("not-the-token").contains(agent.url());
    assertThatThrownBy(() -> ClusterAgentClient.builder(agent.url()).allowPlainHttp(true).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token");
  }

  @Test
  void errorStatusesAreRemoteServiceErrors() {
    ClusterAgentClient c = client().build();
    assertThatThrownBy(() -> c.getConfigs("ghost"))
        .isInstanceOfSatisfying(ClusterAgentException.class, e -> {
          assertThat(e.kind()).isEqualTo(Kind.REMOTE);
          assertThat(e.statusCode()).isEqualTo(500);
          assertThat(e.body()).isEqualTo("node ghost is unknown");
          assertThat(e.request()).isEqualTo("GET /api/v1/clusterchecks/configs/ghost");
        });

    agent.overrideStatus(new Reply(503, "Startup in progress"));
    assertThatThrownBy(() -> c.postStatus("n", new NodeStatus(0, NodeType.CLC_RUNNER)))
        .isInstanceOfSatisfying(ClusterAgentException.class, e -> {
          assertThat(e.isRemoteServiceError()).isTrue();
          assertThat(e.isTimeout()).isFalse();
          assertThat(e.statusCode()).isEqualTo(503);
          assertThat(e.body()).isEqualTo("Startup in progress");
        });
  }

  @Test
  void unreadableAnswerIsADecodeError() {
    agent.overrideConfigs(new Reply(200, "<html>proxy error</html>"));
    ClusterAgentClient c = client().build();
    assertThatThrownBy(() -> c.getConfigs("n"))
        .isInstanceOfSatisfying(ClusterAgentException.class, e -> {
          assertThat(e.kind()).isEqualTo(Kind.DECODE);
          assertThat(e.isRemoteServiceError()).isFalse();
          assertThat(e.isTimeout()).isFalse();
          assertThat(e.statusCode()).isEqualTo(200);
        });
  }

  @Test
  void slowAnswerIsATimeout() {
    agent.hangConfigs();
    ClusterAgentClient c = client().requestTimeout(Duration.ofMillis(300)).build();
    long started = System.nanoTime();
    assertThatThrownBy(() -> c.getConfigs("n"))
        .isInstanceOfSatisfying(ClusterAgentException.class, e -> {
          assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
          assertThat(e.isTimeout()).isTrue();
          assertThat(e.statusCode()).isEqualTo(-1);
        });
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(5_000);
  }

  @Test
  void refusedConnectionIsATransportError() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ClusterAgentClient c = ClusterAgentClient.builder("http://127.0.0.1:" + port)
        .token(FakeClusterAgent.TOKEN).allowPlainHttp(true).build();
    assertThatThrownBy(() -> c.postStatus("n", new NodeStatus(0, NodeType.CLC_RUNNER)))
        .isInstanceOfSatisfying(ClusterAgentException.class, e -> {
          assertThat(e.kind()).isEqualTo(Kind.TRANSPORT);
          assertThat(e.isRemoteServiceError()).isFalse();
        });
  }

  @Test
  void cliRoutesParse() throws Exception {
    ClusterAgentClient c = client().build();
    agent.assign("runner-b", 5, List.of(Config.builder("http_check").build()));
    agent.assign("runner-a", 6, List.of());

    StateResponse state = c.getState();
    assertThat(state.nodes()).extracting(StateResponse.Node::name).containsExactly("runner-a", "runner-b");
    assertThat(state.nodes().get(1).configs()).extracting(Config::checkName).containsExactly("http_check");
    assertThat(c.getEndpointsConfigs("ip-10-0-0-1").configs()).extracting(Config::checkName)
        .containsExactly("endpoint-ip-10-0-0-1");
    assertThat(c.getAllEndpointsConfigs().configs()).extracting(Config::checkName).containsExactly("ep-a", "ep-b");
    assertThat(c.version()).contains("\"Major\":1");
    assertThat(agent.received()).extracting(Received::rawPath).containsExactly("/api/v1/clusterchecks",
        "/api/v1/endpointschecks/configs/ip-10-0-0-1", "/api/v1/endpointschecks/configs", "/version");
  }

  @Test
  void baseUrlRules() {
    assertThatThrownBy(() -> ClusterAgentClient.builder("http://10.0.0.1:5005").token("t").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("plain http");
    assertThatThrownBy(() -> ClusterAgentClient.builder("ftp://10.0.0.1").token("t").build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ClusterAgentClient.builder(" ").token("t").build())
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(ClusterAgentClient.builder("http://10.0.0.1:5005/").token("t").allowPlainHttp(true).build().baseUri())
        .hasToString("http://10.0.0.1:5005");
    assertThat(ClusterAgentClient.builder("10.0.0.1:5005").token("t").build().baseUri())
        .hasToString("https://10.0.0.1:5005");
    assertThat(ClusterAgentClient.builder("HTTPS://dca.example:5005//").token("t").build().baseUri())
        .hasToString("https://dca.example:5005");
  }

  @Test
  void httpsWithSelfSignedCertificateNeedsNoVerification(@TempDir Path dir) throws Exception {
    // The certificate is self-signed and names "datadog-cluster-agent" while we dial 127.0.0.1,
    // so both the chain and the host name would fail a verifying client.
    Path keystore = TestCerts.selfSigned(dir, "datadog-cluster-agent");
    try (FakeClusterAgent tlsAgent = FakeClusterAgent.startTls(keystore, TestCerts.PASSWORD)) {
      assertThat(tlsAgent.url()).startsWith("https://127.0.0.1:");
      ClusterAgentClient c = ClusterAgentClient.builder(tlsAgent.url()).token(FakeClusterAgent.TOKEN)
          .realIp("127.0.0.1").build();
      assertThat(c.postStatus("tls-node", new NodeStatus(0, NodeType.CLC_RUNNER)).isUpToDate()).isTrue();
      assertThat(tlsAgent.received()).singleElement()
          .satisfies(r -> assertThat(r.authorization()).isEqualTo("Bearer " + FakeClusterAgent.TOKEN));

      // A verifying client with the JDK's default trust refuses the same server...
      ClusterAgentClient verifying = ClusterAgentClient.builder(tlsAgent.url()).token(FakeClusterAgent.TOKEN)
          .sslContext(SSLContext.getDefault()).build();
      assertThatThrownBy(() -> verifying.getConfigs("tls-node"))
          .isInstanceOfSatisfying(ClusterAgentException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TRANSPORT));

      // ...and so does one that trusts the certificate but checks the host name: the default
      // client really skips host name verification, not only the chain.
      ClusterAgentClient trustingChainOnly = ClusterAgentClient.builder(tlsAgent.url()).token(FakeClusterAgent.TOKEN)
          .sslContext(trusting(keystore)).build();
      assertThatThrownBy(() -> trustingChainOnly.getConfigs("tls-node"))
          .isInstanceOfSatisfying(ClusterAgentException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TRANSPORT));
    }
  }

  private static SSLContext trusting(Path keystore) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, TestCerts.PASSWORD.toCharArray());
    }
    Certificate cert = ks.getCertificate(TestCerts.ALIAS);
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("dca", cert);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }
}
