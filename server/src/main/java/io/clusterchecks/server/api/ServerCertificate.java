package io.clusterchecks.server.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/**
 * The API's TLS identity: a private key and its certificate chain, either loaded from PEM files
 * or generated at start (a self-signed EC P-256 certificate valid one year, as the reference
 * agent does; workers do not verify it).
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
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      KeyPair pair = gen.generateKeyPair();

      Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
      localHostName().ifPresent(names::add);
      names.addAll(extraNames);
      List<GeneralName> san = new ArrayList<>();
      for (String name : names) {
        if (IpLiterals.isIpLiteral(name)) {
          san.add(new GeneralName(GeneralName.iPAddress, name));
        } else if (NodeIdentifiers.isValid(name) && name.indexOf(':') < 0) {
          san.add(new GeneralName(GeneralName.dNSName, name));
        }
      }

      Instant now = clock.instant();
      X500Name subject = new X500Name("CN=clusterchecks,O=clusterchecks");
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
          new BigInteger(127, new SecureRandom()),
          Date.from(now.minus(Duration.ofMinutes(5))), // tolerate small clock skew
          Date.from(now.plus(SELF_SIGNED_VALIDITY)),
          subject, pair.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      builder.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(san.toArray(GeneralName[]::new)));
      X509CertificateHolder holder =
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
      X509Certificate cert = new JcaX509CertificateConverter().getCertificate(holder);
      return new ServerCertificate(pair.getPrivate(), List.of(cert));
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot generate a self-signed certificate", e);
    }
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
