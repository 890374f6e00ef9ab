package io.clusterchecks.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Writer;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS as workers use it: dialing an IP, without SNI, mostly without verifying the peer. */
class ApiServerTlsTest {
  @TempDir
  Path dir;
  private ApiFixture api;

  @AfterEach
  void tearDown() {
    if (api != null) {
      api.close();
    }
  }

  /** Like the reference's workers: accepts any certificate, checks no host name. */
  private static HttpClient trustAllClient(String... protocols) throws Exception {
    TrustManager trustAll = new X509ExtendedTrustManager() {
      @Override public void checkClientTrusted(X509Certificate[] c, String a) {}
      @Override public void checkServerTrusted(X509Certificate[] c, String a) {}
      @Override public void checkClientTrusted(X509Certificate[] c, String a, Socket s) {}
      @Override public void checkServerTrusted(X509Certificate[] c, String a, Socket s) {}
      @Override public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) {}
      @Override public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) {}
      @Override public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {trustAll}, null);
    HttpClient.Builder b = HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(5));
    if (protocols.length > 0) {
      b.sslParameters(new SSLParameters(null, protocols));
    }
    return b.build();
  }

  /** Trusts exactly this certificate and verifies the host name against its SAN. */
  private static HttpClient verifyingClient(X509Certificate cert) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", cert);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(5)).build();
  }

  private static X509Certificate peer(HttpResponse<?> r) throws Exception {
    return (X509Certificate) r.sslSession().orElseThrow().getPeerCertificates()[0];
  }

  @Test
  void selfSignedHttpsAnswersARequestDialedToTheLoopbackIp() throws Exception {
    api = ApiFixture.with(o -> o.withSelfSignedCertificate(), trustAllClient());
    assertThat(api.baseUrl).startsWith("https://127.0.0.1:");
    api.startLeading();

    HttpResponse<String> r = api.get("/version");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.sslSession().orElseThrow().getProtocol()).isEqualTo("TLSv1.3");
    X509Certificate cert = peer(r);
    List<String> sans = cert.getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))).toList();
    assertThat(sans).contains("localhost", "127.0.0.1");
    Duration validity = Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant());
    assertThat(validity).isBetween(Duration.ofDays(365), Duration.ofDays(366));
    assertThat(cert.getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(364)));
    // A worker request over TLS, end to end.
    assertThat(api.postStatus("runner-a", "{\"last_change\":0}").statusCode()).isEqualTo(200);
  }

  @Test
  void tls12IsRefusedUnlessLegacyTlsIsAllowed() throws Exception {
    api = ApiFixture.with(o -> o.withSelfSignedCertificate(), trustAllClient("TLSv1.2"));

    assertThatThrownBy(() -> api.get("/version")).hasCauseInstanceOf(IOException.class);
  }

  @Test
  void tls12IsAcceptedWhenLegacyTlsIsAllowed() throws Exception {
    api = ApiFixture.with(o -> o.withSelfSignedCertificate().withAllowLegacyTls(true),
        trustAllClient("TLSv1.2"));

    HttpResponse<String> r = api.get("/version");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.sslSession().orElseThrow().getProtocol()).isEqualTo("TLSv1.2");
  }

  @Test
  void configuredPemCertificateAndKeyAreServed() throws Exception {
    ServerCertificate generated = ServerCertificate.selfSigned(List.of("api.test"), InstantSource.system());
    Path certFile = dir.resolve("tls.crt");
    Path keyFile = dir.resolve("tls.key");
    writePem(certFile, generated.chain().get(0));
    writePem(keyFile, new JcaPKCS8Generator(generated.key(), null)); // "PRIVATE KEY"
    X509Certificate expected = generated.chain().get(0);

    api = ApiFixture.with(o -> o.withCertificate(certFile, keyFile), verifyingClient(expected));

    HttpResponse<String> r = api.get("/version");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(peer(r).getEncoded()).isEqualTo(expected.getEncoded());
  }

  @Test
  void renewedCertificateFilesAreServedWithoutARestartAndAHalfWrittenPairIsNot() throws Exception {
    ServerCertificate first = ServerCertificate.selfSigned(List.of("first.test"), InstantSource.system());
    ServerCertificate second = ServerCertificate.selfSigned(List.of("second.test"), InstantSource.system());
    Path certFile = dir.resolve("tls.crt");
    Path keyFile = dir.resolve("tls.key");
    writePem(certFile, first.chain().get(0));
    writePem(keyFile, new JcaPKCS8Generator(first.key(), null));
    api = ApiFixture.with(o -> o.withCertificate(certFile, keyFile), trustAllClient());
    api.server.close();
    ch.qos.logback.classic.Logger watcherLog =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(CertificateFileWatcher.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
        new ch.qos.logback.core.read.ListAppender<>();
    logs.start();
    watcherLog.addAppender(logs);
    // The fixture's server polls every 5 s; this one, on the same files, every 20 ms.
    ApiServer fast = new ApiServer(api.dispatcher, ApiServer.Options.defaults(ApiFixture.TOKEN)
        .withHost("127.0.0.1").withPort(0).withCertificate(certFile, keyFile), api.registry)
        .certificateReloadInterval(Duration.ofMillis(20)).start();
    try {
      String url = "https://127.0.0.1:" + fast.port() + "/version";
      java.util.function.Supplier<X509Certificate> served = () -> {
        try {
          // A new client each time: a fresh handshake, not a pooled connection.
          return (X509Certificate) trustAllClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                  .header("Authorization", "Bearer " + ApiFixture.TOKEN).build(),
              HttpResponse.BodyHandlers.discarding()).sslSession().orElseThrow().getPeerCertificates()[0];
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      };
      assertThat(served.get()).isEqualTo(first.chain().get(0));

      // Only the certificate is new: its key is not there yet, so the current pair stays.
      writePem(certFile, second.chain().get(0));
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains("cannot be used yet")));
      assertThat(served.get()).isEqualTo(first.chain().get(0));

      writePem(keyFile, new JcaPKCS8Generator(second.key(), null));
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> served.get().equals(second.chain().get(0)));
      assertThat(logs.list).anyMatch(e -> e.getFormattedMessage().startsWith("API certificate reloaded from " + certFile));
    } finally {
      fast.close();
      watcherLog.detachAppender(logs);
    }
  }

  @Test
  void pemLoadingReadsPkcs1RsaKeysAndChains() throws Exception {
    Path certFile = dir.resolve("chain.pem");
    Path keyFile = dir.resolve("rsa.key");
    java.security.KeyPairGenerator gen = java.security.KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    java.security.KeyPair pair = gen.generateKeyPair();
    ServerCertificate a = ServerCertificate.selfSigned(List.of(), InstantSource.system());
    ServerCertificate b = ServerCertificate.selfSigned(List.of(), InstantSource.system());
    try (Writer w = Files.newBufferedWriter(certFile); JcaPEMWriter pem = new JcaPEMWriter(w)) {
      pem.writeObject(a.chain().get(0));
      pem.writeObject(b.chain().get(0));
    }
    // JcaPEMWriter writes a KeyPair as a traditional "RSA PRIVATE KEY" (PKCS#1) block.
    writePem(keyFile, pair);

    ServerCertificate loaded = ServerCertificate.fromPem(certFile, keyFile);

    assertThat(loaded.chain()).hasSize(2);
    assertThat(loaded.key().getAlgorithm()).isEqualTo("RSA");
    assertThat(loaded.key().getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
    assertThat(Files.readString(keyFile)).contains("BEGIN RSA PRIVATE KEY");
  }

  @Test
  void pemLoadingReadsSec1EcKeysWithTheirCurveParameters() throws Exception {
    ServerCertificate generated = ServerCertificate.selfSigned(List.of(), InstantSource.system());
    Path keyFile = dir.resolve("ec.key");
    Path certFile = dir.resolve("ec.crt");
    writePem(certFile, generated.chain().get(0));
    // What "openssl ecparam -genkey" writes: SEC1 ECPrivateKey with the named curve inside.
    PrivateKeyInfo pkcs8 = PrivateKeyInfo.getInstance(generated.key().getEncoded());
    ECPrivateKey sec1 = ECPrivateKey.getInstance(pkcs8.parsePrivateKey());
    ECPrivateKey withParams = new ECPrivateKey(256, sec1.getKey(), null,
        pkcs8.getPrivateKeyAlgorithm().getParameters());
    writePem(keyFile, new PemObject("EC PRIVATE KEY", withParams.getEncoded()));

    ServerCertificate loaded = ServerCertificate.fromPem(certFile, keyFile);

    assertThat(loaded.key().getAlgorithm()).isEqualTo("EC");
    assertThat(((java.security.interfaces.ECPrivateKey) loaded.key()).getS())
        .isEqualTo(((java.security.interfaces.ECPrivateKey) generated.key()).getS());
  }

  @Test
  void aMissingOrBrokenKeyFailsAtStartWithAClearMessage() throws Exception {
    Path certFile = dir.resolve("tls.crt");
    Path keyFile = dir.resolve("tls.key");
    writePem(certFile, ServerCertificate.selfSigned(List.of(), InstantSource.system()).chain().get(0));
    Files.writeString(keyFile, "not a key\n");
    var dispatcherApi = ApiFixture.leading();
    try {
      ApiServer server = new ApiServer(dispatcherApi.dispatcher,
          ApiServer.Options.defaults(ApiFixture.TOKEN).withHost("127.0.0.1").withPort(0)
              .withCertificate(certFile, keyFile), dispatcherApi.registry);
      assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot load the API certificate")
          .hasMessageContaining("tls.key");
      server.close();
    } finally {
      dispatcherApi.close();
    }
  }

  private static void writePem(Path file, Object o) throws IOException {
    try (Writer w = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(w)) {
      pem.writeObject(o);
    }
  }
}
