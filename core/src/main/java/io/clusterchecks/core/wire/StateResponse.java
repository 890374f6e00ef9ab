package io.clusterchecks.core.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.clusterchecks.core.config.Config;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Answer to {@code GET /api/v1/clusterchecks}: the dispatching state as the CLI shows it (docs/reference/protocol.md section 3).
 * {@code not_running} is empty on a serving leader. Nodes are sorted by name.
 *
 * <p>{@code config_errors} is ours: config sources' problems (for example a Service whose
 * annotations cannot be used), by entity, sorted. {@code leader_ip} is ours too: on a follower,
 * the address of the leader it forwards to (what the reference's {@code status} shows). Both are
 * left out of the JSON when empty, and Datadog's CLI ignores unknown fields, so the answer stays
 * compatible.
 *
 * <p>{@code dangling_check_ids} and each node's {@code check_ids} are ours as well, and only in a
 * scrubbed answer ({@code ?scrub=true}): per config, the check IDs of its real instances, since the
 * IDs a client would compute from scrubbed instances would name checks that do not exist.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StateResponse(
    @JsonProperty("not_running") String notRunning,
    @JsonProperty("warmup") boolean warmup,
    @JsonProperty("nodes") List<Node> nodes,
    @JsonProperty("dangling") List<Config> dangling,
    @JsonProperty("config_errors") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        Map<String, List<String>> configErrors,
    @JsonProperty("leader_ip") @JsonInclude(JsonInclude.Include.NON_EMPTY) String leaderIp,
    @JsonProperty("dangling_check_ids") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        List<List<String>> danglingCheckIds) {

  public StateResponse {
    notRunning = notRunning == null ? "" : notRunning;
    nodes = nodes == null ? List.of() : List.copyOf(nodes);
    dangling = dangling == null ? List.of() : List.copyOf(dangling);
    configErrors = configErrors == null ? Map.of() : copySorted(configErrors);
    leaderIp = leaderIp == null ? "" : leaderIp;
    danglingCheckIds = copyIds(danglingCheckIds);
  }

  /** A state without the IDs of a scrubbed answer. */
  public StateResponse(String notRunning, boolean warmup, List<Node> nodes, List<Config> dangling,
      Map<String, List<String>> configErrors, String leaderIp) {
    this(notRunning, warmup, nodes, dangling, configErrors, leaderIp, List.of());
  }

  /** A state without config errors. */
  public StateResponse(String notRunning, boolean warmup, List<Node> nodes, List<Config> dangling) {
    this(notRunning, warmup, nodes, dangling, Map.of(), "", List.of());
  }

  /** This state with the given config errors instead of its own. */
  public StateResponse withConfigErrors(Map<String, List<String>> errors) {
    return new StateResponse(notRunning, warmup, nodes, dangling, errors, leaderIp, danglingCheckIds);
  }

  /** This state with the given leader address (empty when unknown or when this replica leads). */
  public StateResponse withLeaderIp(String ip) {
    return new StateResponse(notRunning, warmup, nodes, dangling, configErrors, ip, danglingCheckIds);
  }

  private static Map<String, List<String>> copySorted(Map<String, List<String>> errors) {
    TreeMap<String, List<String>> sorted = new TreeMap<>();
    errors.forEach((k, v) -> sorted.put(k, List.copyOf(v)));
    return Collections.unmodifiableMap(sorted);
  }

  /** The real check IDs of a config, by position; empty when the answer was not scrubbed. */
  public static List<String> idsAt(List<List<String>> ids, int index) {
    return index < ids.size() ? ids.get(index) : List.of();
  }

  private static List<List<String>> copyIds(List<List<String>> ids) {
    return ids == null ? List.of() : ids.stream().map(List::copyOf).toList();
  }

  /**
   * One worker and the configs dispatched to it; {@code check_ids} is filled in a scrubbed answer
   * only (see the class comment). {@code provisional} is ours, and in the JSON only when true: a
   * worker a new leader took from the previous leader's placement that has not reported to it
   * yet; it keeps its configs until it has been silent for {@code node_expiration_timeout}
   * counted from the start of the new leadership.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Node(
      @JsonProperty("name") String name,
      @JsonProperty("configs") List<Config> configs,
      @JsonProperty("check_ids") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<List<String>> checkIds,
      @JsonProperty("provisional") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean provisional) {
    public Node {
      configs = configs == null ? List.of() : List.copyOf(configs);
      checkIds = copyIds(checkIds);
    }

    public Node(String name, List<Config> configs, List<List<String>> checkIds) {
      this(name, configs, checkIds, false);
    }

    public Node(String name, List<Config> configs) {
      this(name, configs, List.of(), false);
    }
  }
}
