package io.clusterchecks.core.wire;

/**
 * What kind of worker reports: the {@code node_type} of the status body (docs/reference/protocol.md section 2). Legacy agents
 * send nothing, which reads as {@link #UNKNOWN}.
 */
public enum NodeType {
  UNKNOWN(0),
  CLC_RUNNER(1),
  NODE_AGENT(2);

  private final int code;

  NodeType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** Maps a wire code; codes from a newer protocol we do not know read as {@link #UNKNOWN}. */
  public static NodeType fromCode(int code) {
    for (NodeType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return UNKNOWN;
  }
}
