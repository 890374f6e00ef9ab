package io.clusterchecks.server.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket, byte for byte as given: what a hostile or broken client sends,
 * which {@code HttpClient} refuses to produce (odd methods, tabs in headers, garbage).
 */
final class RawHttp {
  /** A parsed answer; status -1 when the server closed without a status line. */
  record Answer(int status, String head, String body) {}

  private RawHttp() {}

  /** Sends {@code request} (a whole request, ending the head with CRLF CRLF) and reads to EOF. */
  static Answer send(int port, byte[] request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(request);
      out.flush();
      s.shutdownOutput();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      try {
        int n;
        while ((n = in.read(buf)) > 0) {
          all.write(buf, 0, n);
        }
      } catch (SocketTimeoutException | java.net.SocketException e) {
        // what arrived is the answer
      }
      String text = all.toString(StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      String head = end < 0 ? text : text.substring(0, end);
      String body = end < 0 ? "" : text.substring(end + 4);
      int status = -1;
      if (head.startsWith("HTTP/1.1 ") && head.length() >= 12) {
        status = Integer.parseInt(head.substring(9, 12));
      }
      return new Answer(status, head, body);
    }
  }

  /** A request with {@code Connection: close}; headers are "Name: value" lines, sent as given. */
  static byte[] request(String method, String target, java.util.List<String> headers, byte[] body) {
    StringBuilder b = new StringBuilder();
    b.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    b.append("Host: 127.0.0.1\r\nConnection: close\r\n");
    for (String h : headers) {
      b.append(h).append("\r\n");
    }
    if (body.length > 0 || method.equals("POST")) {
      b.append("Content-Length: ").append(body.length).append("\r\n");
    }
    b.append("\r\n");
    byte[] head = b.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }
}
