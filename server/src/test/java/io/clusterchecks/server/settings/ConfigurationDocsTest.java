package io.clusterchecks.server.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md's keys table is {@link KeysTable#markdown()}, written from {@link Keys}:
 * a key added, renamed, retyped or redocumented in the schema fails here until the page follows.
 * Run with {@code -Dsettings.docs.write=true} to rewrite the table in place (see {@link #HOW}).
 */
class ConfigurationDocsTest {
  static final String HOW = "regenerate it with: ./mvnw -B -pl server -am test -Dtest=ConfigurationDocsTest"
      + " -Dsurefire.failIfNoSpecifiedTests=false -Dsettings.docs.write=true";

  private static Path page() {
    Path relative = Path.of("docs", "configuration.md");
    for (Path p : List.of(relative, Path.of("..").resolve(relative))) {
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new IllegalStateException("docs/configuration.md not found from " + Path.of("").toAbsolutePath());
  }

  @Test
  void theKeysTableIsTheSchema() throws IOException {
    Path page = page();
    String text = Files.readString(page);
    int begin = text.indexOf(KeysTable.BEGIN);
    int end = text.indexOf(KeysTable.END);
    assertThat(begin).as("%s must hold the markers %s and %s", page, KeysTable.BEGIN, KeysTable.END)
        .isNotNegative();
    assertThat(end).isGreaterThan(begin);
    String current = text.substring(begin + KeysTable.BEGIN.length() + 1, end);
    String expected = KeysTable.markdown();
    if (Boolean.getBoolean("settings.docs.write") && !current.equals(expected)) {
      Files.writeString(page, text.substring(0, begin + KeysTable.BEGIN.length() + 1) + expected + text.substring(end));
      return;
    }
    assertThat(current).as("the keys table of %s differs from Keys.java; %s", page, HOW).isEqualTo(expected);
  }

  @Test
  void everyDeclaredKeyHasARowWithItsVariable() throws IOException {
    String text = Files.readString(page());
    Matcher row = Pattern.compile("(?m)^\\| `([a-z_.]+)` \\| `(DD_[A-Z_]+)` \\|").matcher(text);
    java.util.Map<String, String> rows = new java.util.LinkedHashMap<>();
    while (row.find()) {
      rows.put(row.group(1), row.group(2));
    }
    assertThat(rows.keySet()).as(HOW).containsExactlyElementsOf(SettingsLoader.knownKeys());
    rows.forEach((key, var) -> assertThat(var).isEqualTo(SettingsLoader.envNameOf(key)));
  }
}
