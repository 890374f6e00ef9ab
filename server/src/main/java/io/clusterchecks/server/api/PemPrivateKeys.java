package io.clusterchecks.server.api;

import io.clusterchecks.worker.Der;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the unencrypted PEM private keys operators bring (PKCS#8 {@code PRIVATE KEY}, PKCS#1
 * {@code RSA PRIVATE KEY}, SEC1 {@code EC PRIVATE KEY}) with the JDK alone: the two traditional
 * forms are wrapped into PKCS#8, the one form the JDK's key factories read (RFC 5208; the
 * algorithm identifiers of RFC 3279 and RFC 5480).
 */
final class PemPrivateKeys {
  /** A PEM block: its label and base64 body. Blocks with headers (encrypted PKCS#1) do not match. */
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
  private static final List<String> ALGORITHMS = List.of("RSA", "EC", "EdDSA", "RSASSA-PSS");

  private PemPrivateKeys() {}

  static PrivateKey read(Path keyFile) throws IOException {
    String text = Files.readString(keyFile, StandardCharsets.ISO_8859_1);
    byte[] curve = null; // from an "EC PARAMETERS" block, which openssl writes before the key
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      byte[] der;
      try {
        der = Base64.getMimeDecoder().decode(m.group(2));
      } catch (IllegalArgumentException e) {
        throw new IOException("broken base64 in the " + m.group(1) + " block of " + keyFile, e);
      }
      try {
        switch (m.group(1)) {
          case "EC PARAMETERS" -> curve = der;
          case "PRIVATE KEY" -> {
            return pkcs8(der);
          }
          case "RSA PRIVATE KEY" -> {
            return pkcs8(wrap(Der.sequence(Der.oid(1, 2, 840, 113549, 1, 1, 1), new byte[] {0x05, 0x00}), der));
          }
          case "EC PRIVATE KEY" -> {
            return pkcs8(wrap(Der.sequence(Der.oid(1, 2, 840, 10045, 2, 1), ecCurve(der, curve, keyFile)), der));
          }
          default -> {
            // certificates and the like may share the file: skip them
          }
        }
      } catch (IllegalArgumentException | GeneralSecurityException e) {
        throw new IOException("cannot read the " + m.group(1) + " in " + keyFile + ": " + e.getMessage(), e);
      }
    }
    throw new IOException("no unencrypted private key in " + keyFile
        + " (expected PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
  }

  /** PrivateKeyInfo: version 0, the algorithm, the traditional key as an OCTET STRING. */
  private static byte[] wrap(byte[] algorithm, byte[] traditionalKey) {
    return Der.sequence(Der.integer(BigInteger.ZERO), algorithm, Der.tlv(0x04, traditionalKey));
  }

  /** The named curve of a SEC1 key: its [0] parameters, else a preceding EC PARAMETERS block. */
  private static byte[] ecCurve(byte[] sec1, byte[] curveBlock, Path keyFile) throws IOException {
    for (Der.Element e : Der.elements(Der.unwrap(0x30, sec1))) {
      if (e.tag() == 0xA0) {
        return e.value();
      }
    }
    if (curveBlock != null) {
      return curveBlock;
    }
    throw new IOException("the EC PRIVATE KEY in " + keyFile + " names no curve (no parameters in the key,"
        + " no EC PARAMETERS block before it)");
  }

  private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
    GeneralSecurityException last = null;
    for (String algorithm : ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw last;
  }
}
