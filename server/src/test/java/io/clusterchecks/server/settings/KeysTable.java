package io.clusterchecks.server.settings;

/**
 * The keys table of docs/configuration.md, written from {@link Keys}: one row per declared
 * setting, in declaration order. {@code ConfigurationDocsTest} keeps the page equal to it.
 */
final class KeysTable {
  static final String BEGIN = "<!-- keys table: generated from Keys.java by ConfigurationDocsTest, do not edit -->";
  static final String END = "<!-- end of keys table -->";

  private KeysTable() {}

  /** The table, header included, each line ending in a newline. */
  static String markdown() {
    StringBuilder sb = new StringBuilder()
        .append("| Key | `DD_` variable | Type | Default | What it does | Whose | vs reference |\n")
        .append("|---|---|---|---|---|---|---|\n");
    for (Setting<?> s : Keys.ALL) {
      row(sb, s);
    }
    return sb.toString();
  }

  private static <T> void row(StringBuilder sb, Setting<T> s) {
    sb.append("| `").append(s.key()).append("` | `").append(s.envName()).append("` | ")
        .append(s.describeType()).append(" | `").append(s.type().describeDefault(s.defaultValue())).append("` | ")
        .append(s.doc()).append(" | ").append(s.whose().label()).append(" | ").append(s.vsReference())
        .append(" |\n");
  }
}
