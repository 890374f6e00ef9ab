package io.clusterchecks.server.api;

import io.clusterchecks.worker.InsecureTls;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocket;

/**
 * One keep-alive HTTP/1.1 connection (TLS or plain) that sends prepared request bytes and reads
 * each answer by its {@code Content-Length}: the cheapest client we can write, so a load run
 * measures the server and not the client. A closed connection is reopened on the next request.
 */
final class KeepAliveClient implements AutoCloseable {
  /** An answer: the status and the body as text. */
  public record Answer(int status, String head, String body) {}

  private final String host;
  private final int port;
  private final boolean tls;
  private final int timeoutMillis;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  public KeepAliveClient(String host, int port, boolean tls, int timeoutMillis) {
    this.host = host;
    this.port = port;
    this.tls = tls;
    this.timeoutMillis = timeoutMillis;
  }

  /** A request with a body (or none when {@code body} is empty), keep-alive. */
  public static byte[] request(String method, String path, String token, byte[] body) {
    StringBuilder b = new StringBuilder(160);
    b.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    if (token != null) {
      b.append("Authorization: Bearer ").append(token).append("\r\n");
    }
    if (body.length > 0 || method.equals("POST")) {
      b.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
    }
    b.append("\r\n");
    byte[] head = b.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }

  /** Sends one prepared request and reads its answer; reconnects first if needed. */
  public Answer exchange(byte[] request) throws IOException {
    if (socket == null) {
      connect();
    }
    try {
      out.write(request);
      out.flush();
      return readAnswer();
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  private void connect() throws IOException {
    Socket s = tls ? InsecureTls.trustAllContext().getSocketFactory().createSocket() : new Socket();
    s.setTcpNoDelay(true);
    s.setSoTimeout(timeoutMillis);
    s.connect(new InetSocketAddress(host, port), timeoutMillis);
    if (s instanceof SSLSocket ssl) {
      ssl.startHandshake();
    }
    socket = s;
    in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
    out = s.getOutputStream();
  }

  private Answer readAnswer() throws IOException {
    StringBuilder head = new StringBuilder(256);
    int c;
    int state = 0; // counts the CR LF CR LF that end the head
    while (state < 4) {
      c = in.read();
      if (c < 0) {
        throw new IOException("connection closed before the end of the answer head");
      }
      head.append((char) c);
      state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1
          : c == '\r' ? 1 : 0;
    }
    String h = head.toString();
    if (!h.startsWith("HTTP/1.1 ") || h.length() < 12) {
      throw new IOException("not an HTTP/1.1 answer: " + h.lines().findFirst().orElse(""));
    }
    int status = Integer.parseInt(h.substring(9, 12));
    int length = contentLength(h);
    byte[] body = in.readNBytes(length);
    if (body.length < length) {
      throw new IOException("connection closed inside the answer body");
    }
    if (h.toLowerCase(java.util.Locale.ROOT).contains("\nconnection: close")) {
      close();
    }
    return new Answer(status, h, new String(body, StandardCharsets.UTF_8));
  }

  private static int contentLength(String head) throws IOException {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
        return Integer.parseInt(line.substring(colon + 1).trim());
      }
    }
    throw new IOException("answer without Content-Length (chunked answers are not read here)");
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing a broken connection: nothing to do
      }
      socket = null;
    }
  }
}
