package io.alvlm.embedder;

import io.alvlm.config.ServiceConfig;
import io.alvlm.config.Settings;
import io.alvlm.avro.ImageEvent;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Gets the encoded bytes of an {@link ImageEvent}: inline bytes, or a {@code file:} uri inside one of
 * the allowed roots, or an {@code http(s):} uri to an allowed host — never following a redirect to a
 * host that is not allowed, never reading more than {@code maxBytes}, within {@code timeout}.
 * Thread-safe.
 */
public final class ImageFetcher {
  private final List<Path> roots;
  private final List<String> hosts;
  private final int maxBytes;
  private final Duration timeout;
  private final HttpClient http;

  public ImageFetcher(List<Path> roots, List<String> hosts, int maxBytes, Duration timeout) {
    this.roots = roots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    this.hosts = hosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    this.maxBytes = maxBytes;
    this.timeout = Objects.requireNonNull(timeout);
    this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  public static ImageFetcher from(ServiceConfig c) {
    return new ImageFetcher(c.list(Settings.FETCH_ROOTS).stream().map(Path::of).toList(), c.list(Settings.FETCH_HOSTS),
        c.get(Settings.IMAGE_MAX_BYTES), Duration.ofMillis(c.get(Settings.FETCH_TIMEOUT_MS)));
  }

  public byte[] bytes(ImageEvent e) throws ImageRejected {
    boolean inline = e.getBytes() != null;
    boolean byUri = e.getUri() != null && !e.getUri().isBlank();
    if (inline == byUri) {
      throw new ImageRejected("malformed-record", "image " + e.getId() + ": set exactly one of bytes and uri");
    }
    if (inline) {
      ByteBuffer b = e.getBytes().duplicate();
      if (b.remaining() > maxBytes) {
        throw tooLarge(e.getId(), b.remaining());
      }
      byte[] out = new byte[b.remaining()];
      b.get(out);
      return out;
    }
    URI uri;
    try {
      uri = new URI(e.getUri());
    } catch (URISyntaxException ex) {
      throw new ImageRejected("bad-uri", "image " + e.getId() + ": uri " + e.getUri() + " is not a valid URI");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    return switch (scheme) {
      case "file" -> file(e.getId(), uri);
      case "http", "https" -> http(e.getId(), uri, 0);
      default -> throw new ImageRejected("fetch-denied", "image " + e.getId() + ": uri scheme '" + scheme
          + "' is not supported (use file: or http(s):)");
    };
  }

  private ImageRejected tooLarge(String id, long size) {
    return new ImageRejected("too-large", "image " + id + ": " + size + " bytes, above image.max.bytes=" + maxBytes);
  }

  private byte[] file(String id, URI uri) throws ImageRejected {
    Path p;
    try {
      p = Path.of(uri).toAbsolutePath().normalize();
    } catch (RuntimeException ex) {
      throw new ImageRejected("bad-uri", "image " + id + ": " + uri + " is not a local file uri");
    }
    Path real;
    try {
      real = p.toRealPath();
    } catch (IOException ex) {
      real = p;
    }
    final Path target = real;
    if (roots.stream().noneMatch(target::startsWith)) {
      throw new ImageRejected("fetch-denied", "image " + id + ": " + p + " is outside fetch.allowed.roots " + roots);
    }
    try {
      long size = Files.size(target);
      if (size > maxBytes) {
        throw tooLarge(id, size);
      }
      return Files.readAllBytes(target);
    } catch (IOException ex) {
      throw new ImageRejected("fetch-failed", "image " + id + ": cannot read " + target + ": " + ex.getMessage(), ex);
    }
  }

  private boolean hostAllowed(URI uri) {
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    String withPort = host + ":" + uri.getPort();
    return hosts.contains(host) || hosts.contains(withPort);
  }

  private byte[] http(String id, URI uri, int redirects) throws ImageRejected {
    if (!hostAllowed(uri)) {
      throw new ImageRejected("fetch-denied", "image " + id + ": host of " + uri + " is not in fetch.allowed.hosts " + hosts);
    }
    HttpRequest req = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
    try {
      HttpResponse<InputStream> resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = resp.body()) {
        int code = resp.statusCode();
        if (code >= 300 && code < 400) {
          String loc = resp.headers().firstValue("location").orElse(null);
          if (loc == null || redirects >= 5) {
            throw new ImageRejected("fetch-failed", "image " + id + ": " + uri + " redirects " + (loc == null ? "nowhere" : "too often"));
          }
          return http(id, uri.resolve(loc), redirects + 1);
        }
        if (code != 200) {
          throw new ImageRejected("fetch-failed", "image " + id + ": GET " + uri + " answered HTTP " + code);
        }
        long declared = resp.headers().firstValueAsLong("content-length").orElse(-1);
        if (declared > maxBytes) {
          throw tooLarge(id, declared);
        }
        byte[] data = body.readNBytes(maxBytes + 1);
        if (data.length > maxBytes) {
          throw tooLarge(id, data.length);
        }
        return data;
      }
    } catch (IOException ex) {
      throw new ImageRejected("fetch-failed", "image " + id + ": GET " + uri + " failed: " + ex.getMessage(), ex);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new ImageRejected("fetch-failed", "image " + id + ": interrupted while fetching " + uri, ex);
    }
  }
}
