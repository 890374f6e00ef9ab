package io.clusterchecks.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import tools.jackson.databind.JsonNode;
import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.ConfigCodec;
import io.clusterchecks.core.dispatch.NodeConfigs;
import io.clusterchecks.core.wire.ConfigResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The worker-facing routes over a real socket, with a real dispatcher behind them. */
class ApiServerTest {
  private ApiFixture api;

  @AfterEach
  void tearDown() {
    if (api != null) {
      api.close();
    }
  }

  private static Config clusterCheck(String name) {
    return Config.builder(name).clusterCheck(true).source("file:/etc/" + name + ".yaml")
        .instanceYaml("url: http://" + name + ".example\n").build();
  }

  private static Config endpointsCheck(String name, String k8sNode) {
    return Config.builder(name).clusterCheck(true).nodeName(k8sNode)
        .source("kube_endpoints:" + name).serviceId("kube_endpoint_uid://default/" + name + "/")
        .instanceYaml("url: http://" + name + ".example\n").build();
  }

  private static JsonNode json(HttpResponse<String> r) throws IOException {
    return ConfigCodec.JSON.readTree(r.body());
  }

  private void awaitRegistered(String node) {
    await().atMost(Duration.ofSeconds(10)).until(() -> api.dispatcher.nodeConfigs(node).isPresent());
  }

  private void assertNoNodeRegistered() {
    // state() runs on the dispatch thread after any registration enqueued before it.
    assertThat(api.dispatcher.state().nodes()).isEmpty();
    assertThat(api.dispatcher.stats().nodeCount()).isZero();
  }

  // ---------------------------------------------------------------- nominal flow

  /**
   * The leader's placement carries an ETag; sent back, it gets 304 and no body until a config
   * changes worker (followers poll every few seconds; at a million configs a body is ~50 MB).
   */
  @Test
  void placementAnswers304WhileNothingMovedAndANewETagOnceSomethingDid() throws IOException {
    api = ApiFixture.leading();
    api.dispatcher.schedule(List.of(clusterCheck("http_check")));
    api.postStatus("runner-a", "{\"last_change\":0,\"node_type\":1}");
    awaitRegistered("runner-a");
    await().atMost(Duration.ofSeconds(10)).until(() -> api.dispatcher.placement().size() == 1);

    HttpResponse<String> first = api.get("/api/v1/clusterchecks/placement");
    assertThat(first.statusCode()).isEqualTo(200);
    String etag = first.headers().firstValue("ETag").orElseThrow();
    assertThat(json(first).get("placement").size()).isEqualTo(1);

    HttpResponse<String> same = api.send(api.request("/api/v1/clusterchecks/placement")
        .header("If-None-Match", etag).GET().build());
    assertThat(same.statusCode()).isEqualTo(304);
    assertThat(same.body()).isEmpty();
    assertThat(same.headers().firstValue("ETag")).hasValue(etag);
    // A heartbeat changes nothing where configs run.
    api.postStatus("runner-a", "{\"last_change\":0,\"node_type\":1}");
    assertThat(api.send(api.request("/api/v1/clusterchecks/placement")
        .header("If-None-Match", etag).GET().build()).statusCode()).isEqualTo(304);

    api.dispatcher.schedule(List.of(clusterCheck("tcp_check")));
    await().atMost(Duration.ofSeconds(10)).until(() -> api.dispatcher.placement().size() == 2);
    HttpResponse<String> changed = api.send(api.request("/api/v1/clusterchecks/placement")
        .header("If-None-Match", etag).GET().build());
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.headers().firstValue("ETag")).isPresent().get().isNotEqualTo(etag);
    assertThat(json(changed).get("placement").size()).isEqualTo(2);
  }


  @Test
  void workerReportsFetchesItsConfigsAndIsThenUpToDate() throws IOException {
    api = ApiFixture.leading();
    api.dispatcher.schedule(List.of(clusterCheck("http_check")));

    HttpResponse<String> first = api.postStatus("runner-a", "{\"last_change\":0,\"node_type\":1}");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("Content-Type")).hasValueSatisfying(
        ct -> assertThat(ct).startsWith("application/json"));
    assertThat(json(first).has("isuptodate")).isTrue();

    awaitRegistered("runner-a");
    await().atMost(Duration.ofSeconds(10))
        .until(() -> !api.dispatcher.nodeConfigs("runner-a").orElseThrow().configs().isEmpty());

    HttpResponse<String> configs = api.get("/api/v1/clusterchecks/configs/runner-a");
    assertThat(configs.statusCode()).isEqualTo(200);
    ConfigResponse body = ConfigCodec.fromJson(configs.body(), ConfigResponse.class);
    NodeConfigs published = api.dispatcher.nodeConfigs("runner-a").orElseThrow();
    assertThat(body.lastChange()).isEqualTo(published.lastChange()).isNotZero();
    assertThat(body.configs()).extracting(Config::checkName).containsExactly("http_check");
    // The prepared bytes are served as they are.
    assertThat(configs.body()).isEqualTo(new String(published.responseJson()));

    assertThat(json(api.postStatus("runner-a", "{\"last_change\":0}")).get("isuptodate").asBoolean())
        .isFalse();
    assertThat(json(api.postStatus("runner-a", "{\"last_change\":" + body.lastChange() + "}"))
        .get("isuptodate").asBoolean()).isTrue();
    assertThat(api.apiRequests("postCheckStatus", 200, false)).isEqualTo(3);
    assertThat(api.apiRequests("getCheckConfigs", 200, false)).isEqualTo(1);
  }

  @Test
  void theRealIpOfARunnerIsAcceptedAsAnIpv4OrIpv6Literal() {
    api = ApiFixture.leading();
    for (String ip : List.of("10.2.3.4", "fd00::12:4", "")) {
      HttpResponse<String> r = api.send(api.request("/api/v1/clusterchecks/status/runner-" + ip.length())
          .header(ApiServer.REAL_IP_HEADER, ip)
          .POST(HttpRequest.BodyPublishers.ofString("{\"last_change\":-1,\"node_type\":1}")).build());
      assertThat(r.statusCode()).as(ip).isEqualTo(200);
      assertThat(r.body()).isEqualTo("{\"isuptodate\":true}");
    }
  }

  @Test
  void aKnownNodeWithoutConfigsGetsAnEmptyListNotNull() throws IOException {
    api = ApiFixture.leading();
    api.postStatus("runner-b", "{\"last_change\":0}");
    awaitRegistered("runner-b");

    HttpResponse<String> r = api.get("/api/v1/clusterchecks/configs/runner-b");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).get("configs").isArray()).isTrue();
    assertThat(json(r).get("configs")).isEmpty();
  }

  @Test
  void anUnknownNodeGetsTheReferences500Text() {
    api = ApiFixture.leading();

    HttpResponse<String> r = api.get("/api/v1/clusterchecks/configs/nobody");

    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).isEqualTo("node nobody is unknown\n");
    assertThat(api.apiRequests("getCheckConfigs", 500, false)).isEqualTo(1);
  }

  @Test
  void endpointsChecksAreServedPerKubernetesNodeAndAllTogether() throws IOException {
    api = ApiFixture.leading();
    api.dispatcher.schedule(List.of(endpointsCheck("nginx", "k8s-node-1"),
        endpointsCheck("redis", "k8s-node-2")));
    await().atMost(Duration.ofSeconds(10))
        .until(() -> api.dispatcher.allEndpointsConfigs().size() == 2);

    HttpResponse<String> one = api.get("/api/v1/endpointschecks/configs/k8s-node-1");
    assertThat(one.statusCode()).isEqualTo(200);
    ConfigResponse oneBody = ConfigCodec.fromJson(one.body(), ConfigResponse.class);
    assertThat(oneBody.lastChange()).isZero();
    assertThat(oneBody.configs()).extracting(Config::checkName).containsExactly("nginx");

    HttpResponse<String> none = api.get("/api/v1/endpointschecks/configs/k8s-node-9");
    assertThat(none.statusCode()).isEqualTo(200);
    assertThat(none.body()).isEqualTo("{\"last_change\":0,\"configs\":[]}");

    HttpResponse<String> all = api.get("/api/v1/endpointschecks/configs");
    assertThat(all.statusCode()).isEqualTo(200);
    ConfigResponse allBody = ConfigCodec.fromJson(all.body(), ConfigResponse.class);
    assertThat(allBody.lastChange()).isZero();
    assertThat(allBody.configs()).extracting(Config::checkName).containsExactly("nginx", "redis");
    assertThat(api.apiRequests("getEndpointsConfigs", 200, false)).isEqualTo(2);
    assertThat(api.apiRequests("getAllEndpointsCheckConfigs", 200, false)).isEqualTo(1);
  }

  @Test
  void stateListsNodesAndDanglingConfigsWhenLeading() throws IOException {
    api = ApiFixture.leading();
    api.dispatcher.schedule(List.of(clusterCheck("dangling_check")));
    await().atMost(Duration.ofSeconds(10)).until(() -> api.dispatcher.stats().danglingConfigs() == 1);

    HttpResponse<String> r = api.get("/api/v1/clusterchecks");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode state = json(r);
    assertThat(state.get("not_running").asString()).isEmpty();
    assertThat(state.get("warmup").asBoolean()).isFalse();
    assertThat(state.get("nodes")).isEmpty();
    assertThat(state.get("dangling")).hasSize(1);
    assertThat(state.get("dangling").get(0).get("check_name").asString()).isEqualTo("dangling_check");
  }

  @Test
  void versionHasTheAgentShape() throws IOException {
    api = ApiFixture.leading();

    HttpResponse<String> r = api.get("/version");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode v = json(r);
    assertThat(v.propertyNames())
        .containsExactlyInAnyOrder("Major", "Minor", "Patch", "Pre", "Meta", "Commit");
    assertThat(v.get("Major").isInt()).isTrue();
    assertThat(v.get("Pre").isString()).isTrue();
    assertThat(api.apiRequests("version", 200, false)).isEqualTo(1);
  }

  // ---------------------------------------------------------------- gate

  @Test
  void beforeLeadingWorkerRoutesAnswer503AndStateSaysStartupInProgress() throws IOException {
    api = ApiFixture.notLeading();

    HttpResponse<String> status = api.postStatus("runner-a", "{\"last_change\":0}");
    assertThat(status.statusCode()).isEqualTo(503);
    assertThat(status.body()).isEqualTo("Startup in progress\n");
    assertThat(api.get("/api/v1/clusterchecks/configs/runner-a").statusCode()).isEqualTo(503);
    assertThat(api.get("/api/v1/endpointschecks/configs/k8s-node-1").statusCode()).isEqualTo(503);

    HttpResponse<String> state = api.get("/api/v1/clusterchecks");
    assertThat(state.statusCode()).isEqualTo(200);
    assertThat(json(state).get("not_running").asString()).isEqualTo("Startup in progress");
    assertThat(api.apiRequests("postCheckStatus", 503, false)).isEqualTo(1);

    api.startLeading();
    assertThat(api.dispatcher.nodeConfigs("runner-a")).isEmpty(); // the 503 registered nothing
    assertThat(api.postStatus("runner-a", "{\"last_change\":0}").statusCode()).isEqualTo(200);
  }

  @Test
  void duringWarmupWorkersAreToldTheyAreUpToDate() throws IOException {
    api = ApiFixture.withWarmup(Duration.ofHours(1));
    api.dispatcher.start();
    await().atMost(Duration.ofSeconds(10)).until(api.dispatcher::isWarmingUp);

    HttpResponse<String> r = api.postStatus("runner-a", "{\"last_change\":12345}");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).get("isuptodate").asBoolean()).isTrue();
    assertThat(json(api.get("/api/v1/clusterchecks")).get("warmup").asBoolean()).isTrue();
  }

  @Test
  void disabledClusterChecksAnswer404OnEveryClusterCheckRoute() {
    api = ApiFixture.with(o -> o.withClusterChecksEnabled(false));
    api.startLeading();

    for (HttpResponse<String> r : List.of(
        api.postStatus("runner-a", "{\"last_change\":0}"),
        api.get("/api/v1/clusterchecks/configs/runner-a"),
        api.get("/api/v1/clusterchecks"),
        api.get("/api/v1/endpointschecks/configs/k8s-node-1"),
        api.get("/api/v1/endpointschecks/configs"))) {
      assertThat(r.statusCode()).as(r.uri().toString()).isEqualTo(404);
      assertThat(r.body()).isEqualTo("Cluster-checks are not enabled\n");
    }
    assertNoNodeRegistered();
    assertThat(api.get("/version").statusCode()).isEqualTo(200);
  }

  @Test
  void aGateRejectionIsAnsweredVerbatimAndTheDispatcherIsNotAsked() {
    String message = "Follower unable to forward as leaderForwarder is not available yet";
    api = ApiFixture.withGate(new RequestGate() {
      @Override
      public Decision admit() {
        return new Reject(503, message);
      }

      @Override
      public String notRunningReason() {
        return "currently follower";
      }
    });
    api.startLeading();

    HttpResponse<String> r = api.postStatus("runner-a", "{\"last_change\":0}");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).isEqualTo(message + "\n");
    assertThat(api.get("/api/v1/clusterchecks").body()).contains("\"not_running\":\"currently follower\"");
    assertNoNodeRegistered();
  }

  @Test
  void aForwardingGateAnswersForTheLeaderAndIsCountedAsForwarded() {
    api = ApiFixture.withGate(new RequestGate() {
      @Override
      public Decision admit() {
        return new Forward((ctx, body) -> ctx.status(200).header("X-DCA-Forwarded", "true")
            .result("{\"isuptodate\":false,\"echo\":" + new String(body) + "}"));
      }

      @Override
      public String notRunningReason() {
        return "currently follower";
      }
    });
    api.startLeading();

    HttpResponse<String> r = api.postStatus("runner-a", "{\"last_change\":7}");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("X-DCA-Forwarded")).hasValue("true");
    assertThat(r.body()).isEqualTo("{\"isuptodate\":false,\"echo\":{\"last_change\":7}}");
    assertThat(api.apiRequests("postCheckStatus", 200, true)).isEqualTo(1);
    assertThat(api.apiRequests("postCheckStatus", 200, false)).isZero();
    assertNoNodeRegistered();
  }

  // ---------------------------------------------------------------- bodies

  @Test
  void aBodyThatIsNotJsonIsA500WithTheDecoderText() {
    api = ApiFixture.leading();

    HttpResponse<String> r = api.postStatus("runner-a", "{not json");

    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).startsWith("invalid status body: ").endsWith("\n");
    assertNoNodeRegistered();
  }

  @Test
  void wrongTypesInTheStatusAreRejectedLikeTheReferencesStrictDecoder() {
    api = ApiFixture.leading();

    for (String body : List.of("{\"last_change\":\"x\"}", "{\"last_change\":\"12\"}",
        "{\"last_change\":1.5}", "{\"node_type\":\"1\"}", "{\"node_type\":300}", "[1,2]", "")) {
      HttpResponse<String> r = api.postStatus("runner-a", body);
      assertThat(r.statusCode()).as(body).isEqualTo(500);
      assertThat(r.body()).as(body).startsWith("invalid status body: ");
    }
    assertThat(api.postStatus("runner-a", "{\"last_change\":\"x\"}").body()).isEqualTo(
        "invalid status body: field last_change: Cannot coerce String value (\"x\") to `long` value\n");
    assertNoNodeRegistered();
    assertThat(api.apiRequests("postCheckStatus", 500, false)).isEqualTo(8);
  }

  @Test
  void unknownFieldsAndALegacyBodyAreAccepted() {
    api = ApiFixture.leading();

    HttpResponse<String> r = api.postStatus("runner-a",
        "{\"last_change\":0,\"check_compatibility\":{\"include\":[\"a\"]},\"future\":true}");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(api.postStatus("runner-b", "null").statusCode()).isEqualTo(200);
  }

  @Test
  void aBodyOverTheLimitIs413AndNotProcessed() {
    api = ApiFixture.leading();
    String padding = " ".repeat(ApiServer.Options.DEFAULT_MAX_BODY_BYTES);

    HttpResponse<String> r = api.postStatus("runner-a", "{\"last_change\":0}" + padding);

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.body()).isEqualTo("request body too large: the limit is 65536 bytes\n");
    assertNoNodeRegistered();
    // Exactly at the limit is fine.
    String exact = "{\"last_change\":0}";
    assertThat(api.postStatus("runner-a", exact + " ".repeat(65536 - exact.length())).statusCode())
        .isEqualTo(200);
  }

  @Test
  void aChunkedBodyOverTheLimitIs413Too() {
    api = ApiFixture.with(o -> o.withMaxBodyBytes(1024));
    api.startLeading();
    byte[] big = ("{\"last_change\":0}" + " ".repeat(4096)).getBytes();

    HttpResponse<String> r = api.send(api.request("/api/v1/clusterchecks/status/runner-a")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
        .build());

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.body()).isEqualTo("request body too large: the limit is 1024 bytes\n");
    assertNoNodeRegistered();
  }

  // ---------------------------------------------------------------- X-Real-Ip

  @Test
  void anInvalidRealIpIsA500AndTheNodeIsNotRegistered() {
    api = ApiFixture.leading();

    for (String ip : List.of("localhost", "127.0.0.1.1", "::1:", "10.0.0.256", "fe80::1%eth0",
        "[::1]", "1.2.3.4:80")) {
      HttpResponse<String> r = api.send(api.request("/api/v1/clusterchecks/status/runner-a")
          .header(ApiServer.REAL_IP_HEADER, ip)
          .POST(HttpRequest.BodyPublishers.ofString("{\"last_change\":0}")).build());
      assertThat(r.statusCode()).as(ip).isEqualTo(500);
      assertThat(r.body()).as(ip).isEqualTo("cannot parse CLC runner address: " + ip + "\n");
    }
    assertNoNodeRegistered();
    assertThat(api.dispatcher.nodeConfigs("runner-a")).isEmpty();
  }
}
