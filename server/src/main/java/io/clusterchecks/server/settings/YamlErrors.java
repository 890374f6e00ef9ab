package io.clusterchecks.server.settings;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Helpers for YAML read with Jackson: empty documents, and error messages safe to log. */
public final class YamlErrors {
  private YamlErrors() {}

  /**
   * Reads one YAML document as plain Java values (maps, lists, scalars); null when the document
   * is empty or holds only comments.
   */
  public static Object readDocument(ObjectMapper yaml, byte[] content) throws IOException {
    try (JsonParser parser = yaml.createParser(content)) {
      if (parser.nextToken() == null) {
        return null;
      }
      return yaml.readValue(parser, Object.class);
    }
  }

  /**
   * Describes a parse error as {@code line L, column C: problem}, without the parser's excerpt of
   * the offending text: files can hold secrets (an auth token, a check's password), so messages
   * keep only the parser's own wording.
   */
  public static String describe(JsonProcessingException e) {
    JsonLocation loc = e.getLocation();
    String where = loc == null || loc.getLineNr() < 1
        ? "" : "line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": ";
    String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    // The YAML parser's message alternates its own wording (unindented) with "in 'reader', line…"
    // markers and indented excerpts of the text; keep the wording only.
    String problem = Arrays.stream(original.split("\n"))
        .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
        .collect(Collectors.joining("; "));
    if (problem.isEmpty()) {
      problem = "syntax error";
    }
    return where + sanitize(problem);
  }

  /**
   * Hides quoted fragments of more than 3 characters, which may be input text (Jackson quotes
   * unrecognised tokens); keeps the parser's token names such as {@code '<block end>'}.
   */
  static String sanitize(String problem) {
    return problem.replaceAll("'[^'<][^']{3,}'", "'…'").replaceAll("\"[^\"<][^\"]{3,}\"", "\"…\"");
  }
}
