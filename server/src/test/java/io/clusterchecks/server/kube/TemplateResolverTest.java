package io.clusterchecks.server.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import tools.jackson.databind.json.JsonMapper;
import io.clusterchecks.server.kube.TemplateResolver.Port;
import io.clusterchecks.server.kube.TemplateResolver.ResolveException;
import io.clusterchecks.server.kube.TemplateResolver.Resolved;
import io.clusterchecks.server.kube.TemplateResolver.Target;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The resolver's pieces: Go's JSON text of annotation values, Go's URL acceptance (which decides
 * the IPv6 brackets) and variable typing. Expectations follow Go's documented behaviour of
 * {@code encoding/json}, {@code strconv} and {@code net/url}.
 */
class TemplateResolverTest {
  private static final List<Port> PORTS = List.of(new Port("http", 80), new Port("admin", 8081));

  private static String instance(String host, String json) throws ResolveException {
    AdTemplate t = new AdTemplate("c", "{}", List.of(json), null, true, "");
    Resolved r = TemplateResolver.withoutEnv().resolve(t, new Target(host, "no host", PORTS, List.of()));
    return r.instances().get(0).text();
  }

  private static String goJson(String json) throws Exception {
    return GoJson.marshal(JsonMapper.builder().build().readTree(json));
  }

  @Test
  void goJsonWritesNumbersAsAFloat64AndSortsKeys() throws Exception {
    assertThat(goJson("{\"b\":1.0,\"a\":[0.5,-0.0,100,1e20,1e21,1.5e-6,1e-7,12345678901234567890,0.1]}"))
        .isEqualTo("{\"a\":[0.5,-0,100,100000000000000000000,1e+21,0.0000015,1e-7,12345678901234567000,0.1],\"b\":1}");
    assertThat(goJson("{\"s\":\"<a&b>\\u2028\\t\\u0001é😀\"}"))
        .isEqualTo("{\"s\":\"\\u003ca\\u0026b\\u003e\\u2028\\t\\u0001é😀\"}");
    assertThatThrownBy(() -> goJson("[1e400]")).isInstanceOf(GoJson.OutOfRange.class);
    assertThatThrownBy(() -> goJson("[-1" + "0".repeat(400) + "]")).isInstanceOf(GoJson.OutOfRange.class);
  }

  @Test
  void goUrlAcceptsWhatNetUrlParseAccepts() {
    assertThat(GoUrl.parses("http://[fd00::1]:80/x?y#z")).isTrue();
    assertThat(GoUrl.parses("[fd00::1]")).isFalse(); // no scheme, colon in the first segment
    assertThat(GoUrl.parses("127.0.0.1")).isTrue(); // a relative path
    assertThat(GoUrl.parses("127.0.0.1:80")).isFalse();
    assertThat(GoUrl.parses("redis://user:pw@[fd00::1]:6379")).isTrue();
    assertThat(GoUrl.parses("http://[fd00::1]:8x")).isFalse();
    assertThat(GoUrl.parses("http://[fd00::1")).isFalse();
    assertThat(GoUrl.parses("http://a b/")).isFalse();
    assertThat(GoUrl.parses("/path/%zz")).isFalse();
    assertThat(GoUrl.parses("mailto:[fd00::1]:1")).isTrue(); // opaque
    assertThat(GoUrl.parses(":80")).isFalse();
    assertThat(GoUrl.parses("a\nb")).isFalse();
  }

  @Test
  void ipv6HostIsBracketedOnlyWhereTheStringIsAUrlWithTheBrackets() throws Exception {
    assertThat(instance("fd00::1", "{\"u\":\"http://%%host%%:%%port%%/x\"}")).isEqualTo("u: http://[fd00::1]:8081/x\n");
    assertThat(instance("fd00::1", "{\"u\":\"%%host%%\"}")).isEqualTo("u: fd00::1\n");
    assertThat(instance("fd00::1", "{\"u\":\"tcp://%%host_cluster%%\"}")).isEqualTo("u: tcp://[fd00::1]\n");
    // not a URL even with an IPv4 host: the reference leaves %%host%% in; we write the address bare
    assertThat(instance("fd00::1", "{\"u\":\"%%host%%:%%port%%\"}")).isEqualTo("u: fd00::1:8081\n");
    assertThat(instance("10.0.0.1", "{\"u\":\"http://%%host%%:%%port%%\"}")).isEqualTo("u: http://10.0.0.1:8081\n");
  }

  @Test
  void aLoneVariableBecomesAnIntegerOrABooleanAsGoParsesIt() throws Exception {
    assertThat(instance("10.0.0.1", "{\"p\":\"%%port_1%%\",\"q\":\"p%%port%%\",\"h\":\"%%host%%\",\"i\":\"%%port_+0%%\"}"))
        .isEqualTo("h: 10.0.0.1\ni: 80\np: 8081\nq: p8081\n");
    // a host that reads as a number is a number, as in the reference
    assertThat(instance("0x10", "{\"h\":\"%%host%%\"}")).isEqualTo("h: 16\n");
    assertThatThrownBy(() -> instance("10.0.0.1", "{\"p\":\"%%port_-1%%\"}"))
        .hasMessageContaining("out of range");
    assertThatThrownBy(() -> instance("10.0.0.1", "{\"p\":\"%%port_2%%\"}"))
        .hasMessageContaining("out of range");
  }

  @Test
  void keysKeepTheirPercentsAndAPartThatDoesNotReadIsAProblem() throws Exception {
    assertThat(instance("10.0.0.1", "{\"%%k%%\":\"50%%\"}")).isEqualTo("‰k‰: 50%%\n");
    AdTemplate tabs = new AdTemplate("c", "{\"a\": [1,", List.of(), null, true, "");
    assertThatThrownBy(() -> TemplateResolver.withoutEnv().resolve(tabs, new Target("h", null, PORTS, List.of())))
        .hasMessageStartingWith("init_config does not read as YAML");
  }
}
