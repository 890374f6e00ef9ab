package io.clusterchecks.server.api;

import io.clusterchecks.worker.SelfSignedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.crypto.spec.PBEParameterSpec;

/**
 * The API's TLS identity: a private key and its certificate chain, either loaded from PEM files
 * or generated at start (a self-signed EC P-256 certificate valid one year, as the reference
 * agent does; workers do not verify it), by the worker library's {@link SelfSignedCertificate}.
 */
public record ServerCertificate(PrivateKey key, List<X509Certificate> chain) {
  static final Duration SELF_SIGNED_VALIDITY = Duration.ofDays(365);
  /** The JDK's default PKCS12 key protection, with the iteration count set per entry. */
  private static final String KEY_PROTECTION = "PBEWithHmacSHA256AndAES_256";

  public ServerCertificate {
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a certificate chain needs at least one certificate");
    }
    chain = List.copyOf(chain);
  }

  /**
   * Loads a PEM certificate chain (leaf first) and its unencrypted PEM private key (PKCS#8
   * {@code PRIVATE KEY}, PKCS#1 {@code RSA PRIVATE KEY} or SEC1 {@code EC PRIVATE KEY}).
   */
  public static ServerCertificate fromPem(Path certFile, Path keyFile) throws IOException {
    List<X509Certificate> chain = new ArrayList<>();
    try (InputStream in = Files.newInputStream(certFile)) {
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        chain.add((X509Certificate) c);
      }
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the certificate in " + certFile + ": " + e.getMessage(), e);
    }
    if (chain.isEmpty()) {
      throw new IOException("no certificate in " + certFile);
    }
    return new ServerCertificate(PemPrivateKeys.read(keyFile), chain);
  }

  /**
   * A fresh self-signed certificate for {@code localhost}, {@code 127.0.0.1}, {@code ::1}, this
   * machine's host name and the given extra names and addresses, valid from now for a year.
   */
  public static ServerCertificate selfSigned(List<String> extraNames, InstantSource clock) {
    Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
    localHostName().ifPresent(names::add);
    names.addAll(extraNames);
    List<String> dnsNames = new ArrayList<>();
    List<String> ipAddresses = new ArrayList<>();
    for (String name : names) {
      if (IpLiterals.isIpLiteral(name)) {
        ipAddresses.add(name);
      } else if (NodeIdentifiers.isValid(name) && name.indexOf(':') < 0) {
        dnsNames.add(name);
      }
    }
    Instant now = clock.instant();
    SelfSignedCertificate cert = SelfSignedCertificate.create("clusterchecks", dnsNames, ipAddresses,
        now.minus(Duration.ofMinutes(5)), // tolerate small clock skew
        now.plus(SELF_SIGNED_VALIDITY));
    return new ServerCertificate(cert.key(), List.of(cert.certificate()));
  }

  /**
   * An in-memory key store holding this identity under alias {@code server}. The key is sealed
   * with one PBKDF2 round instead of the JDK's default 10,000: the store never leaves this process
   * and its password is random, and the default costs tens of thousands of SHA-256 rounds when the
   * key is put in and again when TLS takes it out, interpreted at start (docs/benchmarks.md, "Start").
   */
  KeyStore toKeyStore(char[] password) throws GeneralSecurityException, IOException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    ks.setEntry("server", new KeyStore.PrivateKeyEntry(key, chain.toArray(Certificate[]::new)),
        new KeyStore.PasswordProtection(password, KEY_PROTECTION, new PBEParameterSpec(salt, 1)));
    return ks;
  }

  private static Optional<String> localHostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return Optional.of(env.trim());
    }
    try {
      return Optional.of(InetAddress.getLocalHost().getHostName());
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
