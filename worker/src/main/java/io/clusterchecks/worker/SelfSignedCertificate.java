package io.clusterchecks.worker;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A throw-away self-signed server certificate (EC P-256, SHA256withECDSA), written in DER with the
 * JDK alone: the one certificate generator of the project. The agent serves one when no
 * certificate files are configured, as the reference agent does (docs/reference/protocol.md
 * section 1: workers do not verify it); simulated runners serve one for their stats API.
 *
 * <p>The certificate is an end-entity one for TLS servers: basic constraints without CA,
 * key usage digital signature, extended key usage server authentication, and the given DNS names
 * and IP addresses as subject alternative names.
 */
public record SelfSignedCertificate(PrivateKey key, X509Certificate certificate) {
  private static final String ALIAS = "server";

  /**
   * Makes a key pair and its certificate for {@code CN=<commonName>,O=clusterchecks}, valid from
   * {@code notBefore} to {@code notAfter}, naming the given DNS names and IP address literals.
   *
   * @throws IllegalArgumentException if an entry of {@code ipAddresses} is not an IP literal
   */
  public static SelfSignedCertificate create(String commonName, List<String> dnsNames, List<String> ipAddresses,
      Instant notBefore, Instant notAfter) {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      SecureRandom random = new SecureRandom();
      gen.initialize(new ECGenParameterSpec("secp256r1"), random);
      KeyPair pair = gen.generateKeyPair();

      byte[] name = name(commonName);
      byte[] tbs = Der.sequence(
          Der.tagged(0xA0, Der.integer(BigInteger.TWO)), // version 3
          Der.integer(new BigInteger(127, random)),
          ecdsaSha256(),
          name,
          Der.sequence(time(notBefore), time(notAfter)),
          name,
          pair.getPublic().getEncoded(), // SubjectPublicKeyInfo, already DER
          Der.tagged(0xA3, Der.sequence(
              extension(basicConstraintsOid(), true, Der.sequence()),
              extension(keyUsageOid(), true, new byte[] {0x03, 0x02, 0x07, (byte) 0x80}), // digitalSignature
              extension(extendedKeyUsageOid(), false, Der.sequence(serverAuthOid())),
              extension(subjectAltNameOid(), false, alternativeNames(dnsNames, ipAddresses)))));

      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(pair.getPrivate(), random);
      signer.update(tbs);
      byte[] signature = signer.sign(); // DER-encoded ECDSA-Sig-Value
      byte[] der = Der.sequence(tbs, ecdsaSha256(), Der.bitString(signature));
      X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
      return new SelfSignedCertificate(pair.getPrivate(), cert);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate a self-signed certificate", e);
    }
  }

  /** An in-memory PKCS12 key store holding this identity under alias {@code server}. */
  public KeyStore toKeyStore(char[] password) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry(ALIAS, key, password, new Certificate[] {certificate});
      return ks;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot hold the certificate in a key store", e);
    }
  }

  /** A server TLS context presenting this certificate. */
  public SSLContext serverContext() {
    try {
      char[] password = new char[0];
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(toKeyStore(password), password);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a TLS context for the certificate", e);
    }
  }

  // Object identifiers, DER-encoded (tag, length, value); methods, as arrays are mutable.
  private static byte[] ecdsaSha256() {
    return Der.sequence(Der.oid(1, 2, 840, 10045, 4, 3, 2));
  }
  private static byte[] commonNameOid() {
    return Der.oid(2, 5, 4, 3);
  }
  private static byte[] organizationOid() {
    return Der.oid(2, 5, 4, 10);
  }
  private static byte[] basicConstraintsOid() {
    return Der.oid(2, 5, 29, 19);
  }
  private static byte[] keyUsageOid() {
    return Der.oid(2, 5, 29, 15);
  }
  private static byte[] extendedKeyUsageOid() {
    return Der.oid(2, 5, 29, 37);
  }
  private static byte[] subjectAltNameOid() {
    return Der.oid(2, 5, 29, 17);
  }
  private static byte[] serverAuthOid() {
    return Der.oid(1, 3, 6, 1, 5, 5, 7, 3, 1);
  }

  private static byte[] name(String commonName) {
    return Der.sequence(
        Der.set(Der.sequence(commonNameOid(), Der.utf8(commonName))),
        Der.set(Der.sequence(organizationOid(), Der.utf8("clusterchecks"))));
  }

  private static byte[] alternativeNames(List<String> dnsNames, List<String> ipAddresses) {
    ByteArrayOutputStream names = new ByteArrayOutputStream();
    for (String dns : dnsNames) {
      names.writeBytes(Der.tlv(0x82, dns.getBytes(StandardCharsets.US_ASCII))); // [2] dNSName (IA5String)
    }
    for (String ip : ipAddresses) {
      names.writeBytes(Der.tlv(0x87, ipBytes(ip))); // [7] iPAddress (4 or 16 octets)
    }
    return Der.tlv(0x30, names.toByteArray());
  }

  private static byte[] ipBytes(String literal) {
    boolean looksLikeIp = !literal.isEmpty()
        && (literal.indexOf(':') >= 0 || literal.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9')));
    if (!looksLikeIp) {
      throw new IllegalArgumentException("not an IP address literal: " + literal);
    }
    try {
      return InetAddress.getByName(literal).getAddress(); // a literal: no name lookup
    } catch (IOException e) {
      throw new IllegalArgumentException("not an IP address literal: " + literal, e);
    }
  }

  private static byte[] extension(byte[] oid, boolean critical, byte[] value) {
    return critical
        ? Der.sequence(oid, new byte[] {0x01, 0x01, (byte) 0xFF}, Der.tlv(0x04, value))
        : Der.sequence(oid, Der.tlv(0x04, value));
  }

  /** UTCTime up to 2049 and GeneralizedTime from 2050, as RFC 5280 section 4.1.2.5 requires. */
  private static byte[] time(Instant t) {
    int year = t.atOffset(ZoneOffset.UTC).getYear();
    boolean utc = year >= 1950 && year < 2050;
    String text = DateTimeFormatter.ofPattern(utc ? "yyMMddHHmmss'Z'" : "yyyyMMddHHmmss'Z'")
        .withZone(ZoneOffset.UTC).format(t);
    return Der.tlv(utc ? 0x17 : 0x18, text.getBytes(StandardCharsets.US_ASCII));
  }
}
