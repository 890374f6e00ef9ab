package io.clusterchecks.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterchecks.core.wire.NodeStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class PlainStatusBodyTest {

  /** Fragments of status-like documents, valid and not, that the two readers must agree on. */
  private static final List<String> FRAGMENTS = List.of("{", "}", "\"last_change\"", "\"node_type\"",
      ":", ",", " ", "\n", "\t", "0", "1", "-1", "42", "-0", "01", "1.5", "1e3", "1E3", "255", "256",
      "123456789012345678", "1234567890123456789", "999999999", "2147483648", "null", "\"1\"",
      "\"other\"", "true", "[", "]", "\"last_\\u0063hange\"", "\ufeff");

  @Test
  void readsWhatWorkersSend() {
    assertThat(PlainStatusBody.read(bytes("{\"last_change\":-1,\"node_type\":1}")))
        .isEqualTo(new NodeStatus(-1, 1));
    assertThat(PlainStatusBody.read(bytes("{\"last_change\":1733140000123456789}")))
        .isNull(); // 19 digits: Jackson reads it
    assertThat(PlainStatusBody.read(bytes("{\"last_change\":173314000012345678}")))
        .isEqualTo(new NodeStatus(173314000012345678L, 0)); // a legacy worker: no node_type
    assertThat(PlainStatusBody.read(bytes(" { \"node_type\" : 2 ,\n\"last_change\": 0 } ")))
        .isEqualTo(new NodeStatus(0, 2));
    assertThat(PlainStatusBody.read(bytes("{}"))).isEqualTo(new NodeStatus(0, 0));
  }

  @Test
  void leavesEverythingElseToJackson() {
    for (String body : List.of("", "null", "{\"last_change\":1.5}", "{\"last_change\":01}",
        "{\"last_change\":-0}", "{\"last_change\":1,\"last_change\":2}", "{\"last_change\":1,}",
        "{\"last_change\":\"1\"}", "{\"last_change\":1,\"future\":true}", "{\"last_change\":1} x",
        "{\"last_change\":null}", "{\"node_type\":2147483648}", "[1]", "{\"last_change\":1e3}",
        "{\"last_change\":1\"node_type\":1}")) {
      assertThat(PlainStatusBody.read(bytes(body))).as(body).isNull();
    }
  }

  /** Whenever the plain reader answers, Jackson (as the API configures it) reads the same status. */
  @Property(tries = 3000)
  void agreesWithJackson(@ForAll("documents") String body) {
    NodeStatus plain = PlainStatusBody.read(bytes(body));
    if (plain != null) {
      assertThat(jackson(body)).as(body).isEqualTo(plain);
    }
  }

  /** Well-formed documents of the common shape are all read without Jackson. */
  @Property(tries = 500)
  void readsEveryCommonDocument(@ForAll long lastChange, @ForAll("nodeTypes") int nodeType,
      @ForAll("spaces") String space) {
    String body = "{" + space + "\"last_change\"" + space + ":" + space + lastChange + space + ","
        + "\"node_type\":" + nodeType + space + "}";
    NodeStatus plain = PlainStatusBody.read(bytes(body));
    if (Long.toString(Math.abs(lastChange)).length() <= 18 && lastChange != Long.MIN_VALUE) {
      assertThat(plain).as(body).isEqualTo(new NodeStatus(lastChange, nodeType));
    }
    assertThat(jackson(body)).isEqualTo(new NodeStatus(lastChange, nodeType));
  }

  @Provide
  Arbitrary<String> documents() {
    return Arbitraries.of(FRAGMENTS).list().ofMaxSize(14).map(l -> String.join("", l));
  }

  @Provide
  Arbitrary<Integer> nodeTypes() {
    return Arbitraries.integers().between(0, 255);
  }

  @Provide
  Arbitrary<String> spaces() {
    return Arbitraries.of("", " ", "\n", "\t ", "\r\n");
  }

  private static NodeStatus jackson(String body) {
    try {
      return WorkerAnswers.JacksonStatus.READER.readValue(bytes(body));
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
