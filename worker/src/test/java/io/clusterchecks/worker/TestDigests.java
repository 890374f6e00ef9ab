package io.clusterchecks.worker;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.ConfigCodec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Stand-in digest until core's Digests is merged: a hash of the config's JSON. */
final class TestDigests {
  private TestDigests() {}

  static String digest(Config c) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(ConfigCodec.toJsonString(c).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
