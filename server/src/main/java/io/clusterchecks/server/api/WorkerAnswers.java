package io.clusterchecks.server.api;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.ObjectReader;
import io.clusterchecks.core.config.ConfigCodec;
import io.clusterchecks.core.dispatch.Dispatcher;
import io.clusterchecks.core.dispatch.NodeConfigs;
import io.clusterchecks.core.wire.NodeStatus;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * What the two routes every worker calls answer, once the request is authenticated, its path
 * identifier checked and the gate said "serve here" (docs/reference/protocol.md section 2). Shared
 * by {@link WorkerRoutesHandler}, which serves them on Jetty directly, and the Javalin routes of
 * {@link ApiServer}, which serve the rest and every forwarded request.
 */
final class WorkerAnswers {
  static final String REAL_IP_HEADER = "X-Real-Ip";
  private static final int MAX_ERROR_DETAIL = 200;

  /**
   * The two status answers, as Jackson writes {@link io.clusterchecks.core.wire.StatusResponse}
   * (a test holds them to it), written out here so that answering a status needs no data-binding
   * mapper: the first status after start then does not wait for one to be built and its classes
   * loaded (docs/benchmarks.md, "Start"). Never written to: answers only read them.
   */
  private final byte[] upToDate = "{\"isuptodate\":true}".getBytes(StandardCharsets.UTF_8);
  private final byte[] notUpToDate = "{\"isuptodate\":false}".getBytes(StandardCharsets.UTF_8);

  private final Dispatcher dispatcher;

  WorkerAnswers(Dispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  /** The status answer ({@code {"isuptodate": ...}}) to a heartbeat of {@code node}. */
  byte[] status(String node, String realIp, byte[] body) {
    NodeStatus status = decodeStatus(body);
    String clientIp = clientIp(realIp);
    return statusAnswer(dispatcher.processNodeStatus(node, clientIp, status));
  }

  /** The status answer's bytes for {@code isUpToDate}. */
  byte[] statusAnswer(boolean isUpToDate) {
    return isUpToDate ? upToDate : notUpToDate;
  }

  /** The node's prepared configs answer; 500 {@code node X is unknown} as the reference answers. */
  byte[] configs(String node) {
    NodeConfigs configs = dispatcher.nodeConfigs(node)
        .orElseThrow(() -> new ApiException(500, "node " + node + " is unknown"));
    return configs.responseJson();
  }

  /**
   * Decodes the status body. The reference answers a decoding error with 500 and the decoder's
   * text; we keep the status (workers only log it) and prefix the text so it reads clearly.
   */
  static NodeStatus decodeStatus(byte[] body) {
    NodeStatus status = PlainStatusBody.read(body);
    try {
      if (status == null) {
        status = JacksonStatus.READER.readValue(body); // any other shape, and every error, is Jackson's
      }
    } catch (DatabindException e) {
      // Name the field: Jackson's own text often does not.
      String field = e.getPath().stream()
          .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
          .collect(Collectors.joining("."));
      throw new ApiException(500, "invalid status body: "
          + (field.isEmpty() ? "" : "field " + field + ": ") + detail(e.getOriginalMessage()));
    } catch (JacksonException e) {
      throw new ApiException(500, "invalid status body: " + detail(e.getOriginalMessage()));
    }
    if (status == null) {
      return new NodeStatus(0, 0); // a JSON null decodes to the zero status, as in the reference
    }
    if (status.nodeType() < 0 || status.nodeType() > 255) {
      throw new ApiException(500, "invalid status body: node_type " + status.nodeType()
          + " is out of range for a uint8");
    }
    return status;
  }

  /**
   * Jackson's reader of a status body, built on first use: only a body {@link PlainStatusBody} does
   * not read needs it, so a start whose workers send the usual body never builds it.
   */
  static final class JacksonStatus {
    /**
     * Decodes like the reference's decoder: {@code 1.5} is not an int64, while an absent or null
     * field is the zero value (legacy workers send no {@code node_type}; newer ones omit it when 0).
     */
    static final ObjectReader READER = ConfigCodec.JSON.readerFor(NodeStatus.class)
        .without(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .without(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
  }

  /** {@code X-Real-Ip}: absent or empty is accepted as ""; anything else must be an IP literal. */
  static String clientIp(String ip) {
    if (ip == null || ip.isEmpty()) {
      return "";
    }
    if (!IpLiterals.isIpLiteral(ip)) {
      throw new ApiException(500, "cannot parse CLC runner address: " + NodeIdentifiers.printable(ip));
    }
    return ip;
  }

  /** A decoder's message made safe and short for an error answer. */
  static String detail(String message) {
    String m = message == null ? "unreadable body" : message.replace('\n', ' ').replace('\r', ' ');
    int hint = m.indexOf(" (but might if coercion");
    if (hint > 0) {
      m = m.substring(0, hint); // Jackson's configuration hint means nothing to a worker
    }
    if (m.length() > MAX_ERROR_DETAIL) {
      m = m.substring(0, MAX_ERROR_DETAIL) + "...";
    }
    StringBuilder b = new StringBuilder(m.length());
    m.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return b.toString();
  }
}
