package io.alvlm.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A registry front that serves one request per client connection, then closes it. Its answers keep
 * HTTP/1.1 keep-alive semantics (no {@code Connection: close}), so a client pools the connection:
 * what a client sees behind an HTTP/1.0 server, or a proxy or load balancer that drops idle
 * connections. {@link Close#AFTER_ANSWER} closes right after the answer (a client that checks a
 * pooled connection before reuse may notice; whether it does is a race). {@link Close#ON_REUSE}
 * closes when a second request arrives, unanswered: the client's next request always meets a stale
 * connection, so the failure does not depend on a race. Each request goes to the backend on a fresh
 * connection.
 */
public final class ConnectionClosingProxy implements AutoCloseable {
  private final ServerSocket server;
  private final URI backend;
  private final Thread acceptor;
  private final AtomicInteger closed = new AtomicInteger();
  private final Close close;

  /** When the connection is closed. */
  public enum Close { AFTER_ANSWER, ON_REUSE }

  private ConnectionClosingProxy(ServerSocket server, URI backend, Close close) {
    this.server = server;
    this.backend = backend;
    this.close = close;
    this.acceptor = new Thread(this::acceptLoop, "connection-closing-proxy");
    acceptor.setDaemon(true);
  }

  /** A proxy on a free loopback port in front of the plain-http registry at {@code backendUrl}. */
  public static ConnectionClosingProxy start(String backendUrl, Close close) throws IOException {
    ConnectionClosingProxy p = new ConnectionClosingProxy(
        new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), URI.create(backendUrl), close);
    p.acceptor.start();
    return p;
  }

  public String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /** Connections closed after their answer (for {@code ON_REUSE}: when the client reused them). */
  public int closedConnections() {
    return closed.get();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Thread t = new Thread(() -> relayOnce(client), "connection-closing-proxy-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void relayOnce(Socket client) {
    try (client; Socket up = new Socket(backend.getHost(), backend.getPort())) {
      byte[] request = readMessage(client.getInputStream(), false);
      if (request == null) {
        return;
      }
      up.getOutputStream().write(request);
      up.getOutputStream().flush();
      byte[] response = readMessage(up.getInputStream(), true);
      if (response != null) {
        OutputStream out = client.getOutputStream();
        out.write(response);
        out.flush();
        if (close == Close.AFTER_ANSWER || client.getInputStream().read() >= 0) {
          closed.incrementAndGet();
        }
      }
    } catch (IOException e) {
      // the client or backend went away: nothing to relay
    }
  }

  /** One HTTP message (head and a Content-Length body), with any {@code Connection} header removed. */
  private static byte[] readMessage(InputStream in, boolean dropConnectionHeader) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    StringBuilder kept = new StringBuilder();
    int length = 0;
    for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
      String lower = line.toLowerCase(java.util.Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
      if (dropConnectionHeader && lower.startsWith("connection:")) {
        continue;
      }
      kept.append(line).append("\r\n");
    }
    kept.append("\r\n");
    ByteArrayOutputStream msg = new ByteArrayOutputStream();
    msg.writeBytes(kept.toString().getBytes(StandardCharsets.ISO_8859_1));
    msg.writeBytes(in.readNBytes(length));
    return msg.toByteArray();
  }
}
