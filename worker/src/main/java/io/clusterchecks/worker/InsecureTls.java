package io.clusterchecks.worker;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS setup Datadog workers use towards the cluster agent (docs/reference/protocol.md section 1): the agent
 * serves a self-signed certificate and workers dial it by IP, so the certificate chain and the
 * host name are not verified. Only the bearer token authenticates the exchange. The agent uses
 * the same setup to reach runners' stats APIs and, on a follower, the leader.
 *
 * <p>The trust manager is an {@link X509ExtendedTrustManager} on purpose: the JDK performs its
 * endpoint identification (host name check) inside the extended trust manager, so an extended
 * manager that accepts everything also skips that check. A plain {@code X509TrustManager} would be
 * wrapped by the JDK and the host name would still be checked.
 */
public final class InsecureTls {
  private InsecureTls() {}

  /** A TLS context that accepts any certificate and host name; used everywhere we dial an agent or a runner by IP. */
  public static SSLContext trustAllContext() {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a TLS context", e);
    }
  }

  private static final class TrustAll extends X509ExtendedTrustManager {
    private static final X509Certificate[] NONE = new X509Certificate[0];

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return NONE;
    }
  }
}
