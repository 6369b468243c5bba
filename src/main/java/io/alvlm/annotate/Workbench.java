package io.alvlm.annotate;

import io.alvlm.serde.AvroSerdes;
import io.alvlm.service.AlvlmService;
import io.alvlm.embedder.ImageFetcher;
import io.alvlm.config.ServiceConfig;
import io.alvlm.config.Settings;
import io.alvlm.topics.Topics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;

/**
 * The annotation workbench role ({@code alvlm annotate}): a web page on its own port where people
 * answer the requests of {@code alvlm.queries}, each answer written to {@code alvlm.labels} in a
 * Kafka transaction. Reads the {@code annotate.*} settings, the class names, the fetch policy and
 * the Kafka settings of a service config. Refuses to start without annotators.
 */
public final class Workbench implements AutoCloseable {
  private final RequestFeed feed;
  private final ImageLookup images;
  private final WorkbenchServer server;

  private Workbench(RequestFeed feed, ImageLookup images, WorkbenchServer server) {
    this.feed = feed;
    this.images = images;
    this.server = server;
  }

  public static Workbench start(ServiceConfig c) throws IOException {
    Annotators annotators = Annotators.parse(c.get(Settings.ANNOTATE_TOKENS));
    Topics topics = new Topics(AvroSerdes.from(c.asMap()));
    AnnotationDesk desk = new AnnotationDesk(c.get(Settings.ANNOTATE_VOTES), c.get(Settings.ANNOTATE_LEASE_MS));
    RequestFeed feed = new RequestFeed(AlvlmService.clientConfig(c), c.get(Settings.ANNOTATE_GROUP), topics, desk);
    ImageLookup images = new ImageLookup(AlvlmService.clientConfig(c), topics, ImageFetcher.from(c));
    WorkbenchServer server = new WorkbenchServer(c.get(Settings.ANNOTATE_BIND), c.get(Settings.ANNOTATE_PORT),
        new WorkbenchServer.Parts(annotators, new Sessions(c.get(Settings.ANNOTATE_SESSION_MS)), desk, feed, images,
            c.classNames(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));
    return new Workbench(feed, images, server);
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() throws InterruptedException {
    server.close();
    feed.close();
    images.close();
  }
}
