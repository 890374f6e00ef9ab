package io.clusterchecks.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Self-signed certificates made with the JDK's keytool, so tests need no extra library. */
final class TestCerts {
  static final String PASSWORD = "changeit";
  static final String ALIAS = "dca";

  private TestCerts() {}

  /** A PKCS12 keystore in {@code dir} holding one self-signed EC key pair with CN {@code cn} and no SAN. */
  static Path selfSigned(Path dir, String cn) throws IOException, InterruptedException {
    Path keystore = dir.resolve("dca.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", ALIAS, "-keyalg", "EC",
        "-groupname", "secp256r1", "-dname", "CN=" + cn, "-validity", "2", "-storetype", "PKCS12",
        "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
        .redirectErrorStream(true)
        .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool failed: " + output);
    }
    return keystore;
  }
}
