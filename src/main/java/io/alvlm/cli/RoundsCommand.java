package io.alvlm.cli;

import io.alvlm.avro.RoundAction;
import io.alvlm.avro.RoundControl;
import io.alvlm.config.ServiceConfig;
import io.alvlm.serde.AvroSerdes;
import io.alvlm.service.AlvlmService;
import io.alvlm.service.Reachable;
import io.alvlm.topics.Topics;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code alvlm rounds resume}: operators' commands to the pool's query rounds, sent on {@code alvlm.control}. */
@Command(name = "rounds", mixinStandardHelpOptions = true, description = "Send an operator's command to the query rounds.",
    subcommands = {RoundsCommand.Resume.class})
final class RoundsCommand {
  /** The key of every control record: the pool reads one partition, in order. */
  static final String KEY = "rounds";

  @Command(name = "resume", mixinStandardHelpOptions = true,
      description = {"Resume the query rounds the stopping rule paused.",
          "With query.stop=stable, rounds pause once successive models agree.",
          "Sends one record to alvlm.control; the pool reads it in a transaction,",
          "opens rounds again and the rule counts afresh. Sent while rounds run,",
          "it does nothing."})
  static final class Resume implements Callable<Integer> {
    @Option(names = "--config", description = "Properties file; ALVLM_* environment variables override it (default: none, the settings' defaults).")
    Path config;

    @Override
    public Integer call() throws Exception {
      ServiceConfig c = ServiceConfig.load(config, System.getenv(), Map.of());
      AvroSerdes serdes = AvroSerdes.from(c.asMap());
      Reachable.check(c, serdes);
      Topics topics = new Topics(serdes);
      Map<String, Object> p = new HashMap<>(AlvlmService.clientConfig(c));
      p.put("acks", "all");
      p.put("enable.idempotence", true);
      RoundControl resume = new RoundControl(RoundAction.RESUME, System.getProperty("user.name", "operator"), Instant.now());
      try (KafkaProducer<String, RoundControl> producer =
          new KafkaProducer<>(p, new StringSerializer(), topics.control.valueSerde().serializer())) {
        producer.send(new ProducerRecord<>(topics.control.name(), KEY, resume)).get();
      }
      System.err.println("sent resume to " + topics.control.name() + "; the pool opens paused rounds when it reads it");
      return 0;
    }
  }
}
