package io.alvlm.annotate;

import io.alvlm.serde.AvroSerdes;
import io.alvlm.service.AlvlmService;
import io.alvlm.embedder.ImageFetcher;
import io.alvlm.config.ServiceConfig;
import io.alvlm.config.Settings;
import io.alvlm.topics.Topics;
import io.alvlm.service.Reachable;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.List;

/**
 * The annotation workbench role ({@code alvlm annotate}): a web page on its own port where people
 * answer the requests of {@code alvlm.queries}, each answer written to {@code alvlm.labels} in a
 * Kafka transaction. Reads the {@code annotate.*} settings, the class names, the fetch policy and
 * the Kafka settings of a service config. Refuses to start without annotators.
 */
public final class Workbench implements AutoCloseable {
  private final RequestFeed feed;
  private final ImageLookup images;
  private final PoolNoticeFeed notices;
  private final WorkbenchServer server;

  private Workbench(RequestFeed feed, ImageLookup images, PoolNoticeFeed notices, WorkbenchServer server) {
    this.feed = feed;
    this.images = images;
    this.notices = notices;
    this.server = server;
  }

  public static Workbench start(ServiceConfig c) throws IOException {
    Annotators annotators = Annotators.parse(c.get(Settings.ANNOTATE_TOKENS));
    List<String> classes = c.classNames();
    AvroSerdes serdes = AvroSerdes.from(c.asMap());
    Reachable.check(c, serdes);
    Topics topics = new Topics(serdes);
    AnnotationDesk desk = new AnnotationDesk(c.get(Settings.ANNOTATE_VOTES), c.get(Settings.ANNOTATE_LEASE_MS));
    RequestFeed feed = new RequestFeed(AlvlmService.clientConfig(c), c.get(Settings.ANNOTATE_GROUP), topics, desk);
    ImageLookup images = new ImageLookup(AlvlmService.clientConfig(c), topics, ImageFetcher.from(c));
    PoolNoticeFeed notices = new PoolNoticeFeed(AlvlmService.clientConfig(c), topics);
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    io.alvlm.stream.SchemaVersionMeters.bind(meters, serdes.schemaVersions());
    WorkbenchServer server = new WorkbenchServer(c.get(Settings.ANNOTATE_BIND), c.get(Settings.ANNOTATE_PORT),
        new WorkbenchServer.Parts(annotators, new Sessions(c.get(Settings.ANNOTATE_SESSION_MS)), desk, feed, images,
            classes, meters, c.get(Settings.ANNOTATE_LOGIN_BACKOFF_MS),
            notices::latest));
    return new Workbench(feed, images, notices, server);
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() throws InterruptedException {
    server.close();
    feed.close();
    images.close();
    notices.close();
  }
}
