package io.clusterchecks.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelfSignedCertificateTest {
  private static final Instant NOT_BEFORE = Instant.parse("2026-03-01T10:00:00Z");

  @Test
  void anEndEntityServerCertificateForTheGivenNames() throws Exception {
    SelfSignedCertificate c = SelfSignedCertificate.create("clusterchecks", List.of("localhost", "agent.test"),
        List.of("127.0.0.1", "::1"), NOT_BEFORE, NOT_BEFORE.plus(Duration.ofDays(365)));
    X509Certificate x = c.certificate();

    x.verify(x.getPublicKey()); // self-signed: its own key verifies the signature
    assertThat(x.getVersion()).isEqualTo(3);
    assertThat(x.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(x.getSubjectX500Principal().getName()).isEqualTo("O=clusterchecks,CN=clusterchecks"); // RFC 2253 prints the last RDN first
    assertThat(x.getIssuerX500Principal()).isEqualTo(x.getSubjectX500Principal());
    assertThat(x.getNotBefore().toInstant()).isEqualTo(NOT_BEFORE);
    assertThat(x.getNotAfter().toInstant()).isEqualTo(NOT_BEFORE.plus(Duration.ofDays(365)));
    assertThat(x.getBasicConstraints()).as("not a CA").isEqualTo(-1);
    assertThat(x.getKeyUsage()[0]).as("digitalSignature").isTrue();
    assertThat(x.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(x.getCriticalExtensionOIDs()).containsExactlyInAnyOrder("2.5.29.19", "2.5.29.15");
    Collection<List<?>> san = x.getSubjectAlternativeNames();
    assertThat(san).containsExactlyInAnyOrder(List.of(2, "localhost"), List.of(2, "agent.test"),
        List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1"));
    assertThat(c.key().getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void datesFrom2050AreGeneralizedTime() {
    Instant late = Instant.parse("2051-06-30T23:59:59Z");
    X509Certificate x = SelfSignedCertificate.create("far", List.of(), List.of(), NOT_BEFORE, late).certificate();
    assertThat(x.getNotAfter().toInstant()).isEqualTo(late);
  }

  @Test
  void aLongNameNeedsALongFormLength() throws Exception {
    String longName = "a".repeat(60) + "." + "b".repeat(60) + "." + "c".repeat(60) + ".test";
    X509Certificate x = SelfSignedCertificate.create("long", List.of(longName), List.of(), NOT_BEFORE,
        NOT_BEFORE.plusSeconds(60)).certificate();
    assertThat(x.getSubjectAlternativeNames()).containsExactly(List.of(2, longName));
  }

  @Test
  void aHostNameWhereAnAddressIsExpectedIsRefused() {
    assertThatThrownBy(() -> SelfSignedCertificate.create("x", List.of(), List.of("example.com"), NOT_BEFORE,
        NOT_BEFORE.plusSeconds(60)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("example.com");
  }

  @Test
  void theServerContextServesTheCertificate() throws Exception {
    SelfSignedCertificate c = SelfSignedCertificate.create("ctx", List.of("localhost"), List.of("127.0.0.1"),
        Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(1)));
    assertThat(c.toKeyStore(new char[0]).getCertificate("server")).isEqualTo(c.certificate());
    assertThat(c.serverContext().getProtocol()).isEqualTo("TLS");
  }
}
