package io.alvlm.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One HTTP answer: status, content type, body and any extra headers ({@code Set-Cookie},
 * {@code Allow}, {@code Retry-After}). JSON replies are rendered here, errors as {@code {"error": ...}}.
 */
public record Reply(int status, String type, byte[] body, List<Map.Entry<String, String>> headers) {
  static final ObjectMapper JSON = new ObjectMapper();
  public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  public Reply {
    headers = List.copyOf(headers);
  }

  public static Reply json(int status, Object body) {
    try {
      return new Reply(status, "application/json", JSON.writeValueAsBytes(body), List.of());
    } catch (JsonProcessingException e) {
      return text(500, "text/plain; charset=utf-8", "cannot render JSON: " + e.getOriginalMessage());
    }
  }

  public static Reply error(int status, String message) {
    return json(status, Map.of("error", message));
  }

  public static Reply text(int status, String type, String body) {
    return new Reply(status, type, body.getBytes(StandardCharsets.UTF_8), List.of());
  }

  public static Reply bytes(int status, String type, byte[] body) {
    return new Reply(status, type, body, List.of());
  }

  /** This reply with one more header. */
  public Reply with(String name, String value) {
    List<Map.Entry<String, String>> h = new ArrayList<>(headers);
    h.add(Map.entry(name, value));
    return new Reply(status, type, body, h);
  }
}
