package io.clusterchecks.worker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A server TLS context with a throw-away self-signed certificate, made with the JDK's own
 * {@code keytool} (the worker module has no certificate library). The key store lives in a
 * temporary directory only while it is loaded. Takes about a second (one JVM start), so a fleet
 * makes one and shares it between its runners; the agent does not verify runner certificates.
 */
final class SelfSignedTls {
  private static final String ALIAS = "clc-runner";

  private SelfSignedTls() {}

  static SSLContext create(String commonName) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("clc-runner-tls");
      Path keystore = dir.resolve("runner.p12");
      byte[] random = new byte[16];
      new SecureRandom().nextBytes(random);
      char[] password = HexFormat.of().formatHex(random).toCharArray();
      Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
      ProcessBuilder pb = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", ALIAS, "-keyalg", "EC",
          "-groupname", "secp256r1", "-dname", "CN=" + commonName, "-ext", "SAN=ip:127.0.0.1,dns:localhost",
          "-validity", "30", "-storetype", "PKCS12", "-keystore", keystore.toString(),
          "-storepass:env", "CLC_RUNNER_STOREPASS")
          .redirectErrorStream(true);
      // The password goes through the environment, never the command line.
      pb.environment().put("CLC_RUNNER_STOREPASS", new String(password));
      Process p = pb.start();
      p.getOutputStream().close();
      String output;
      try (InputStream in = p.getInputStream()) {
        output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException("keytool could not make a self-signed certificate: " + output.strip());
      }
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keystore)) {
        ks.load(in, password);
      }
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, password);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return ctx;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a self-signed certificate", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot load the self-signed certificate", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while making a self-signed certificate", e);
    } finally {
      deleteQuietly(dir);
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a temp directory left behind is harmless
    }
  }
}
