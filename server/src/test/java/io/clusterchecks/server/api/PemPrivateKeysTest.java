package io.clusterchecks.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterchecks.worker.Der;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key forms operators bring, built here from a JDK key (ApiServerTlsTest has the common ones from openssl's writer). */
class PemPrivateKeysTest {
  @TempDir
  Path dir;

  private static ECPrivateKey ecKey() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"));
    return (ECPrivateKey) gen.generateKeyPair().getPrivate();
  }

  /** The SEC1 ECPrivateKey inside a JDK key's PKCS#8 encoding, and the curve from its algorithm. */
  private static byte[][] sec1AndCurve(PrivateKey key) {
    List<Der.Element> info = Der.elements(Der.unwrap(0x30, key.getEncoded()));
    List<Der.Element> algorithm = Der.elements(info.get(1).value());
    byte[] curve = Der.tlv(algorithm.get(1).tag(), algorithm.get(1).value());
    return new byte[][] {info.get(2).value(), curve};
  }

  private static String pem(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + label + "-----\n";
  }

  /** The SEC1 key with only its private value: no [0] curve, no [1] public key. */
  private static byte[] bareSec1(byte[] sec1) {
    List<Der.Element> parts = Der.elements(Der.unwrap(0x30, sec1));
    return Der.sequence(Der.tlv(parts.get(0).tag(), parts.get(0).value()), Der.tlv(parts.get(1).tag(), parts.get(1).value()));
  }

  @Test
  void aSec1KeyTakesItsCurveFromThePrecedingEcParametersBlock() throws Exception {
    ECPrivateKey key = ecKey();
    byte[][] parts = sec1AndCurve(key);
    Path file = dir.resolve("ec.key");
    Files.writeString(file, pem("EC PARAMETERS", parts[1]) + pem("EC PRIVATE KEY", bareSec1(parts[0])));

    PrivateKey read = PemPrivateKeys.read(file);

    assertThat(((ECPrivateKey) read).getS()).isEqualTo(key.getS());
  }

  @Test
  void aSec1KeyWithoutAnyCurveIsRefusedByName() throws Exception {
    Path file = dir.resolve("nocurve.key");
    Files.writeString(file, pem("EC PRIVATE KEY", bareSec1(sec1AndCurve(ecKey())[0])));

    assertThatThrownBy(() -> PemPrivateKeys.read(file)).isInstanceOf(IOException.class)
        .hasMessageContaining("names no curve").hasMessageContaining("nocurve.key");
  }

  @Test
  void aPkcs8KeyAfterACertificateIsFound() throws Exception {
    ECPrivateKey key = ecKey();
    Path file = dir.resolve("both.pem");
    Files.writeString(file, pem("CERTIFICATE", new byte[] {0x30, 0x00}) + pem("PRIVATE KEY", key.getEncoded()));

    assertThat(PemPrivateKeys.read(file).getEncoded()).isEqualTo(key.getEncoded());
  }

  @Test
  void encryptedKeysAndBrokenBodiesAreRefused() throws Exception {
    Path encrypted = dir.resolve("enc.key");
    Files.writeString(encrypted, "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n"
        + "AAAA\n-----END RSA PRIVATE KEY-----\n");
    assertThatThrownBy(() -> PemPrivateKeys.read(encrypted)).isInstanceOf(IOException.class)
        .hasMessageContaining("no unencrypted private key");

    Path garbage = dir.resolve("garbage.key");
    Files.writeString(garbage, pem("PRIVATE KEY", new byte[] {0x30, 0x03, 0x02, 0x01, 0x00}));
    assertThatThrownBy(() -> PemPrivateKeys.read(garbage)).isInstanceOf(IOException.class)
        .hasMessageContaining("cannot read the PRIVATE KEY").hasMessageContaining("garbage.key");
  }
}
