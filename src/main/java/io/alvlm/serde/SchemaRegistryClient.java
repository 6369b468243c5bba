package io.alvlm.serde;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A client for the Confluent Schema Registry REST API (the parts a serde needs): register a schema
 * under a subject, find the id of a registered schema, fetch a schema by id, and check a schema
 * against a subject's latest version. Ids and schemas are cached both ways, so each schema costs
 * one round trip per process. Calls that fail because the registry is down, overloaded or dropped
 * the connection are retried with backoff until {@code schema.registry.retry.deadline.ms} (see
 * {@link RegistryHttp}); a refusal (any other 4xx) fails at once. Thread-safe.
 */
public final class SchemaRegistryClient {
  public static final String CONTENT_TYPE = RegistryHttp.CONTENT_TYPE;

  private final URI baseUrl;
  private final RegistryHttp http;
  private final RegistryHealth health = new RegistryHealth();
  private final SerdeConfig config;
  private final Map<Integer, Schema> schemaById = new ConcurrentHashMap<>();
  private final Map<String, Map<Schema, Integer>> idBySubject = new ConcurrentHashMap<>();

  /** A client for {@code config.registryUrl()}, with its auth and TLS settings. */
  public SchemaRegistryClient(SerdeConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.http = new RegistryHttp(config, health);
    this.baseUrl = http.baseUrl();
  }

  /** The {@code Authorization} header value for the configured basic auth or bearer token. */
  static Optional<String> authorizationHeader(SerdeConfig config) {
    return RegistryHttp.authorizationHeader(config);
  }

  /** Fails within {@code wait}, naming the registry's address, when it does not answer or refuses the credentials. */
  public void probe(java.time.Duration wait) {
    http.probe(wait);
  }

  /** What this client has seen of the registry's availability. */
  public RegistryHealth health() {
    return health;
  }

  /** How this client names subjects. */
  public SubjectNameStrategy subjectStrategy() {
    return config.subjectStrategy();
  }

  /**
   * The id of {@code schema} under {@code subject}. If the subject does not hold it yet and
   * auto-registration is on, checks backward compatibility with the latest version first, then
   * registers; with auto-registration off, an unregistered schema is an error.
   */
  public int idFor(String subject, Schema schema) {
    Map<Schema, Integer> ids = idBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
    Integer cached = ids.get(schema);
    if (cached != null) {
      return cached;
    }
    int id = lookup(subject, schema).orElseGet(() -> registerChecked(subject, schema));
    ids.put(schema, id);
    schemaById.putIfAbsent(id, schema);
    return id;
  }

  /** The schema registered with {@code id} ({@code GET /schemas/ids/{id}}), cached. */
  public Schema schemaById(int id) {
    Schema cached = schemaById.get(id);
    if (cached != null) {
      return cached;
    }
    JsonNode body = call("GET", "/schemas/ids/" + id, null);
    Schema schema = new Schema.Parser().parse(body.path("schema").asText());
    schemaById.putIfAbsent(id, schema);
    return schema;
  }

  /**
   * Reads every version registered under {@code subject} into the caches ({@code GET
   * /subjects/{s}/versions}, then each version), so that records written with any of them decode
   * without a call later; returns how many versions there were (0 for a subject that does not exist).
   */
  public int prefetch(String subject) {
    JsonNode versions;
    try {
      versions = call("GET", "/subjects/" + enc(subject) + "/versions", null);
    } catch (SchemaRegistryException e) {
      if (e.errorCode() == 40401) {
        return 0;
      }
      throw e;
    }
    for (JsonNode v : versions) {
      JsonNode body = call("GET", "/subjects/" + enc(subject) + "/versions/" + v.asInt(), null);
      int id = body.path("id").asInt(-1);
      Schema schema = new Schema.Parser().parse(body.path("schema").asText());
      schemaById.putIfAbsent(id, schema);
      idBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>()).putIfAbsent(schema, id);
    }
    return versions.size();
  }

  /**
   * Whether {@code schema} may follow the latest version of {@code subject} under the subject's
   * compatibility setting; true for a subject that does not exist yet.
   */
  public boolean isCompatible(String subject, Schema schema) {
    try {
      JsonNode body = call("POST", "/compatibility/subjects/" + enc(subject) + "/versions/latest", schema);
      return body.path("is_compatible").asBoolean(false);
    } catch (SchemaRegistryException e) {
      if (e.errorCode() == 40401 || e.errorCode() == 40402) {
        return true;
      }
      throw e;
    }
  }

  /** Registers {@code schema} under {@code subject} as is ({@code POST /subjects/{s}/versions}). */
  public int register(String subject, Schema schema) {
    JsonNode body = call("POST", "/subjects/" + enc(subject) + "/versions", schema);
    int id = body.path("id").asInt(-1);
    if (id < 0) {
      throw new SchemaRegistryException(-1, -1, "registry answered without an id: " + body, null);
    }
    schemaById.putIfAbsent(id, schema);
    idBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>()).put(schema, id);
    return id;
  }

  private Optional<Integer> lookup(String subject, Schema schema) {
    try {
      return Optional.of(call("POST", "/subjects/" + enc(subject), schema).path("id").asInt());
    } catch (SchemaRegistryException e) {
      if (e.errorCode() == 40401 || e.errorCode() == 40403) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private int registerChecked(String subject, Schema schema) {
    if (!config.autoRegister()) {
      throw new SchemaRegistryException(-1, 40403,
          "schema " + schema.getFullName() + " is not registered under subject " + subject + " at "
              + baseUrl + " and " + SerdeConfig.AUTO_REGISTER + "=false; register it first", null);
    }
    if (!isCompatible(subject, schema)) {
      throw new SchemaRegistryException(409, 409,
          "schema " + schema.getFullName() + " is not compatible with the latest version of subject "
              + subject + " at " + baseUrl + "; a new version must read all earlier data (add fields"
              + " with defaults, never change a field's type)", null);
    }
    return register(subject, schema);
  }

  private JsonNode call(String method, String path, Schema schema) {
    return http.call(method, path, schema);
  }

  private static String enc(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
