package io.clusterchecks.server.settings;

import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.io.ContentReference;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLParser;
import tools.jackson.dataformat.yaml.YAMLReadFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads YAML documents (settings files, conf.d files) into plain Java values, and describes parse
 * errors in a form safe to log.
 *
 * <p>Jackson's untyped binding turns an alias ({@code *name}) into the string {@code "name"} and
 * leaves merge keys ({@code <<: *defaults}) as ordinary keys; Datadog files use both, and Datadog's
 * own YAML library resolves them. This reader resolves aliases to the anchored value and applies
 * merge keys (keys written in the mapping win over merged ones; with a list of mappings, earlier
 * ones win), and bounds the expanded size so an alias bomb cannot exhaust memory.
 *
 * <p>Limitation: Jackson's YAML parser does not report anchors on single values
 * ({@code port: &p 6379}), only on mappings and lists, so an alias to a single value is reported
 * as an error rather than silently read as the anchor's name.
 */
public final class YamlDocuments {
  /** Most values a document may expand to once aliases are resolved. */
  static final long MAX_EXPANDED_NODES = 1_000_000;
  private static final String MERGE_KEY = "<<";
  /** No source excerpts in exception locations: files can hold secrets. */
  private static final YAMLFactory FACTORY = YAMLFactory.builder()
      .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .enable(YAMLReadFeature.EMPTY_STRING_AS_NULL) // the builder does not default it on
      .build();

  private YamlDocuments() {}

  /** Raised for a problem found while building values (unknown alias, bad merge, too large). */
  public static final class YamlShapeException extends JacksonException {
    YamlShapeException(String message, TokenStreamLocation location) {
      // keep line and column only: the parser's location can quote the document
      super(message, new TokenStreamLocation(ContentReference.unknown(), location.getCharOffset(),
          location.getLineNr(), location.getColumnNr()), null);
    }
  }

  /**
   * Reads the first YAML document as maps ({@link LinkedHashMap}, string keys), lists and scalars
   * (String, Integer/Long/BigInteger, Double, Boolean, null).
   *
   * @return null when the document is empty or holds only comments
   */
  public static Object read(byte[] content) throws IOException {
    try (YAMLParser parser = (YAMLParser) FACTORY.createParser(content)) {
      if (parser.nextToken() == null) {
        return null;
      }
      return new Builder(parser).value();
    }
  }

  /**
   * Describes a parse error as {@code line L, column C: problem}, without the parser's excerpt of
   * the offending text: files can hold secrets (an auth token, a check's password), so messages
   * keep only the parser's own wording. Log this, never the exception itself: the YAML parser's
   * own message quotes the offending line.
   */
  public static String describe(JacksonException e) {
    TokenStreamLocation loc = e.getLocation();
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

  /** Builds values from the token stream, resolving anchors, aliases and merge keys. */
  private static final class Builder {
    private final YAMLParser parser;
    private final Map<String, Object> anchors = new HashMap<>();
    /** Expanded size of each anchored value, by anchor name. */
    private final Map<String, Long> anchorSizes = new HashMap<>();
    private long size;

    Builder(YAMLParser parser) {
      this.parser = parser;
    }

    /** The value starting at the current token; leaves the parser on its last token. */
    Object value() throws IOException {
      JsonToken token = parser.currentToken();
      if (token == JsonToken.VALUE_STRING && parser.isCurrentAlias()) {
        String name = parser.getString();
        if (!anchors.containsKey(name)) {
          throw new YamlShapeException("unknown alias *" + name
              + " (only mappings and lists can be anchored)", parser.currentLocation());
        }
        grow(anchorSizes.get(name));
        return anchors.get(name);
      }
      String anchor = parser.getObjectId(); // the YAML anchor (&name) of this value, if any
      long before = size;
      Object value = switch (token) {
        case START_OBJECT -> mapping();
        case START_ARRAY -> sequence();
        case VALUE_STRING -> parser.getString();
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getNumberValue();
        case VALUE_TRUE -> Boolean.TRUE;
        case VALUE_FALSE -> Boolean.FALSE;
        case VALUE_NULL -> null;
        case VALUE_EMBEDDED_OBJECT -> parser.getEmbeddedObject();
        default -> throw new YamlShapeException("unexpected " + token, parser.currentLocation());
      };
      grow(1);
      if (anchor != null) {
        anchors.put(anchor, value);
        anchorSizes.put(anchor, size - before);
      }
      return value;
    }

    private Map<String, Object> mapping() throws IOException {
      Map<String, Object> map = new LinkedHashMap<>();
      List<Map<?, ?>> merges = new ArrayList<>();
      while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
        String key = parser.currentName();
        TokenStreamLocation keyLocation = parser.currentLocation();
        parser.nextToken();
        Object v = value();
        if (key.equals(MERGE_KEY)) {
          if (v instanceof Map<?, ?> m) {
            merges.add(m);
          } else if (v instanceof List<?> list && list.stream().allMatch(Map.class::isInstance)) {
            list.forEach(m -> merges.add((Map<?, ?>) m));
          } else {
            throw new YamlShapeException("merge key << needs a mapping or a list of mappings", keyLocation);
          }
        } else {
          map.put(key, v);
        }
      }
      for (Map<?, ?> m : merges) {
        m.forEach((k, v) -> map.putIfAbsent(String.valueOf(k), v));
      }
      return map;
    }

    private List<Object> sequence() throws IOException {
      List<Object> list = new ArrayList<>();
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        list.add(value());
      }
      return list;
    }

    private void grow(long n) throws YamlShapeException {
      size += n;
      if (size > MAX_EXPANDED_NODES) {
        throw new YamlShapeException("document too large once aliases are expanded (over "
            + MAX_EXPANDED_NODES + " values)", parser.currentLocation());
      }
    }
  }
}
