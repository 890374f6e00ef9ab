package io.clusterchecks.server.cli;

import tools.jackson.core.JacksonException;
import io.clusterchecks.core.config.ConfigCodec;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/**
 * {@code --json}: print the command's answer as one JSON document instead of text, for scripts.
 * The JSON is the same answer the text shows, with the wire's field names.
 */
final class JsonOutput {
  @Option(names = "--json", description = "Print the answer as JSON (for scripts) instead of text.")
  boolean json;

  void print(Object answer, PrintWriter out) {
    try {
      out.println(ConfigCodec.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer));
    } catch (JacksonException e) {
      throw new IllegalStateException("cannot encode the answer as JSON: " + e.getOriginalMessage(), e);
    }
    out.flush();
  }
}
