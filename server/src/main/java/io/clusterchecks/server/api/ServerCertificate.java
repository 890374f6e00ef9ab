package io.clusterchecks.server.api;

import io.clusterchecks.worker.SelfSignedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
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
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/**
 * The API's TLS identity: a private key and its certificate chain, either loaded from PEM files
 * or generated at start (a self-signed EC P-256 certificate valid one year, as the reference
 * agent does; workers do not verify it), by the worker library's {@link SelfSignedCertificate}.
 */
public record ServerCertificate(PrivateKey key, List<X509Certificate> chain) {
  static final Duration SELF_SIGNED_VALIDITY = Duration.ofDays(365);

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
    return new ServerCertificate(readKey(keyFile), chain);
  }

  private static PrivateKey readKey(Path keyFile) throws IOException {
    try (Reader r = Files.newBufferedReader(keyFile, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(r)) {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (o instanceof PEMKeyPair pair) {
          // SEC1 files may lack the public key, so convert only the private part.
          return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
        // EC PARAMETERS blocks and the like precede the key in some files: skip them.
      }
    }
    throw new IOException("no unencrypted private key in " + keyFile
        + " (expected PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
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

  /** An in-memory key store holding this identity under alias {@code server}. */
  KeyStore toKeyStore(char[] password) throws GeneralSecurityException, IOException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("server", key, password, chain.toArray(Certificate[]::new));
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
