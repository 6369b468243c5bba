package io.alvlm.stream;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnknownProducerIdException;
import org.apache.kafka.streams.KafkaClientSupplier;
import org.apache.kafka.streams.processor.internals.DefaultKafkaClientSupplier;

/**
 * Kafka Streams' clients, with every transactional producer watched for being fenced: its
 * transaction aborted by the broker (it stayed open past {@code transaction.timeout.ms}) or taken
 * over by another instance with the same transactional id. Streams recovers from a fence by itself
 * (the task is closed, migrated and redone from its last commit), so a fence is never an error, but
 * one that repeats is a loop that redoes work forever: the count makes it visible. Each producer
 * counts once however many of its calls fail, since Streams replaces a fenced producer.
 *
 * <p>The fence exceptions are the ones Kafka Streams itself treats as a fence.
 */
public final class FencedProducers implements KafkaClientSupplier {
  private final KafkaClientSupplier clients;
  private final Runnable onFence;

  /** @param onFence called once for each producer that is fenced */
  public FencedProducers(KafkaClientSupplier clients, Runnable onFence) {
    this.clients = Objects.requireNonNull(clients);
    this.onFence = Objects.requireNonNull(onFence);
  }

  /** Kafka's default clients, watched. */
  public static FencedProducers counting(Runnable onFence) {
    return new FencedProducers(new DefaultKafkaClientSupplier(), onFence);
  }

  /** Whether {@code t} or one of its causes says that the producer was fenced. */
  public static boolean isFence(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ProducerFencedException || c instanceof InvalidProducerEpochException
          || c instanceof InvalidPidMappingException || c instanceof UnknownProducerIdException) {
        return true;
      }
    }
    return false;
  }

  @Override
  public org.apache.kafka.clients.admin.Admin getAdmin(Map<String, Object> config) {
    return clients.getAdmin(config);
  }

  @Override
  @SuppressWarnings("unchecked")
  public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
    Producer<byte[], byte[]> producer = clients.getProducer(config);
    return (Producer<byte[], byte[]>) Proxy.newProxyInstance(Producer.class.getClassLoader(),
        new Class<?>[] {Producer.class}, new Watch(producer));
  }

  @Override
  public org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
    return clients.getConsumer(config);
  }

  @Override
  public org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
    return clients.getRestoreConsumer(config);
  }

  @Override
  public org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
    return clients.getGlobalConsumer(config);
  }

  /** Passes every call on; a fence thrown by a call or handed to a send's callback is counted once. */
  private final class Watch implements InvocationHandler {
    private final Producer<byte[], byte[]> producer;
    private final AtomicBoolean fenced = new AtomicBoolean();

    Watch(Producer<byte[], byte[]> producer) {
      this.producer = producer;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getName().equals("send") && args != null && args.length == 2) {
        Callback callback = (Callback) args[1];
        args = new Object[] {args[0], (Callback) (metadata, e) -> {
          if (e != null) seen(e);
          if (callback != null) callback.onCompletion(metadata, e);
        }};
      }
      try {
        return method.invoke(producer, args);
      } catch (InvocationTargetException e) {
        seen(e.getCause());
        throw e.getCause();
      }
    }

    private void seen(Throwable e) {
      if (isFence(e) && fenced.compareAndSet(false, true)) {
        onFence.run();
      }
    }
  }
}
