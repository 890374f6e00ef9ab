package io.clusterchecks.server.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The ceiling the worker API is measured against: a bare Jetty 12 TLS endpoint on the same
 * thread-pool size, TLS settings and certificate kind, whose one handler checks the bearer token
 * (the same constant-time check) and answers a constant body. Nothing of ours but the token check.
 */
final class BareJettyEndpoint implements AutoCloseable {
  private static final ByteBuffer ANSWER =
      ByteBuffer.wrap("{\"isuptodate\":true}".getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();

  private final Server server;
  private final ServerConnector connector;

  BareJettyEndpoint(String token) throws Exception {
    BearerTokenAuth auth = new BearerTokenAuth(token);
    server = new Server(new QueuedThreadPool(250, 8, 60_000));
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    secure.setSniHostCheck(false);
    http.addCustomizer(secure);
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ServerCertificate certificate = ServerCertificate.selfSigned(List.of(), InstantSource.system());
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    String password = Base64.getEncoder().encodeToString(random);
    ssl.setKeyStore(certificate.toKeyStore(password.toCharArray()));
    ssl.setKeyStorePassword(password);
    ssl.setSniRequired(false);
    ssl.setIncludeProtocols("TLSv1.3");
    connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
        new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(new Handler.Abstract.NonBlocking() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        try {
          auth.check(request.getHeaders().get(HttpHeader.AUTHORIZATION));
        } catch (ApiException e) {
          Response.writeError(request, response, callback, e.status(), e.getMessage());
          return true;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ANSWER.slice(), callback);
        return true;
      }
    });
    server.start();
  }

  int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
