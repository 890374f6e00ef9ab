package io.clusterchecks.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JettyReferenceSizeTest {
  private String before;

  @BeforeEach
  void save() {
    before = System.getProperty(ApiServer.JETTY_REFERENCES_PER_CACHE_LINE);
  }

  @AfterEach
  void restore() {
    if (before == null) {
      System.clearProperty(ApiServer.JETTY_REFERENCES_PER_CACHE_LINE);
    } else {
      System.setProperty(ApiServer.JETTY_REFERENCES_PER_CACHE_LINE, before);
    }
  }

  @Test
  void jettyIsToldThatReferencesAreCompressedSoItNeedNotAskTheManagementBeans() {
    System.clearProperty(ApiServer.JETTY_REFERENCES_PER_CACHE_LINE);
    ApiServer.tellJettyTheReferenceSize();
    // Test JVMs run with far less than 31 GiB of heap: 4-byte references, 16 to a 64-byte line.
    assertThat(System.getProperty(ApiServer.JETTY_REFERENCES_PER_CACHE_LINE)).isEqualTo("16");
  }

  @Test
  void anOperatorsOwnSettingStays() {
    System.setProperty(ApiServer.JETTY_REFERENCES_PER_CACHE_LINE, "8");
    ApiServer.tellJettyTheReferenceSize();
    assertThat(System.getProperty(ApiServer.JETTY_REFERENCES_PER_CACHE_LINE)).isEqualTo("8");
  }
}
