package io.clusterchecks.server.settings;

import java.util.Locale;
import java.util.Objects;

/**
 * One setting, declared once in {@link Keys}: everything the loader, the effective-settings
 * printout, {@code configcheck --settings} and the keys table of docs/configuration.md know about
 * it. Built with the {@code with}-style methods below, which return a new declaration.
 *
 * @param key the Datadog dotted name, e.g. {@code cluster_agent.auth_token}
 * @param type how values are read, shown and described
 * @param defaultValue the value when neither the file nor the environment sets it
 * @param whose whose key it is: the reference's, another Datadog key, or ours
 * @param doc what it does (the keys table's "What it does", Markdown)
 * @param vsReference how it differs from the reference (the keys table's last column, Markdown)
 * @param typeDoc the keys table's type column, when the type's own description is not enough
 * @param secret its value is never shown, in a message nor in the printout
 * @param <T> the value's Java type
 */
public record Setting<T>(String key, SettingType<T> type, T defaultValue, Whose whose, String doc,
    String vsReference, String typeDoc, boolean secret) {

  /** Whose key a setting is. */
  public enum Whose {
    /** In the reference's key list (docs/reference/). */
    REFERENCE("reference"),
    /** A Datadog Agent key the reference's key list does not have. */
    DATADOG("Datadog"),
    /** Ours only. */
    OURS("ours");

    private final String label;

    Whose(String label) {
      this.label = label;
    }

    /** How the keys table names it. */
    public String label() {
      return label;
    }
  }

  /** The prefix of every setting's environment variable. */
  public static final String ENV_PREFIX = "DD_";

  public Setting {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(defaultValue, "defaultValue");
    Objects.requireNonNull(whose, "whose");
    Objects.requireNonNull(doc, "doc");
    Objects.requireNonNull(vsReference, "vsReference");
  }

  /** A setting of the reference's, not yet documented. */
  public static <T> Setting<T> of(String key, SettingType<T> type, T defaultValue) {
    return new Setting<>(key, type, defaultValue, Whose.REFERENCE, "", "", null, false);
  }

  /** The environment variable: {@code DD_} + the key upper-cased, dots turned into underscores. */
  public String envName() {
    return envNameOf(key);
  }

  /** The environment variable of any key: {@code cluster_agent.auth_token} → {@code DD_CLUSTER_AGENT_AUTH_TOKEN}. */
  public static String envNameOf(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  /** The type column of the keys table. */
  public String describeType() {
    return typeDoc != null ? typeDoc : type.describe() + (secret ? ", secret" : "");
  }

  /** The value as the effective settings show it; a secret shows as {@link AgentSettings#REDACTED} when set. */
  public Object shown(T value) {
    if (secret) {
      return value.toString().isEmpty() ? "" : AgentSettings.REDACTED;
    }
    return type.shown(value);
  }

  /** What it does. */
  public Setting<T> doc(String text) {
    return new Setting<>(key, type, defaultValue, whose, text, vsReference, typeDoc, secret);
  }

  /** The reference's key; {@code note} says how ours differs (or "Same."). */
  public Setting<T> reference(String note) {
    return new Setting<>(key, type, defaultValue, Whose.REFERENCE, doc, note, typeDoc, secret);
  }

  /** A Datadog Agent key the reference's key list does not have. */
  public Setting<T> datadog(String note) {
    return new Setting<>(key, type, defaultValue, Whose.DATADOG, doc, note, typeDoc, secret);
  }

  /** Ours only; {@code note} may say more (or be empty). */
  public Setting<T> ours(String note) {
    return new Setting<>(key, type, defaultValue, Whose.OURS, doc, note, typeDoc, secret);
  }

  /** The type column, when the type's own description is not enough. */
  public Setting<T> typeDoc(String text) {
    return new Setting<>(key, type, defaultValue, whose, doc, vsReference, text, secret);
  }

  /** Never show the value. */
  public Setting<T> asSecret() {
    return new Setting<>(key, type, defaultValue, whose, doc, vsReference, typeDoc, true);
  }

  @Override
  public String toString() {
    return key;
  }
}
