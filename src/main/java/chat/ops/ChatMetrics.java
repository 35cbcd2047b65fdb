package chat.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The chat-level meters, next to Vert.x's own (pools, SQL and Redis clients, event bus) in the same
 * registry. Counters are cached per label value: the hot path looks up a map, never the registry.
 */
public final class ChatMetrics {
  private final MeterRegistry registry;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger sessions = new AtomicInteger();
  private final Map<Integer, Counter> in = new ConcurrentHashMap<>();
  private final Map<String, Counter> out = new ConcurrentHashMap<>();
  private final Map<Integer, Counter> errors = new ConcurrentHashMap<>();
  private final Map<String, Counter> deliveries = new ConcurrentHashMap<>();
  private final Map<String, Timer> latency = new ConcurrentHashMap<>();

  public ChatMetrics(MeterRegistry registry) {
    this.registry = registry;
    registry.gauge("chat_connections_open", connections);
    registry.gauge("chat_sessions_logged_in", sessions);
  }

  /** Meters that go nowhere, for a node without a metrics port. */
  public static ChatMetrics none() {
    return new ChatMetrics(new CompositeMeterRegistry());
  }

  public void connectionOpened() {
    connections.incrementAndGet();
  }

  public void connectionClosed() {
    connections.decrementAndGet();
  }

  public void loggedIn() {
    sessions.incrementAndGet();
  }

  public void loggedOut() {
    sessions.decrementAndGet();
  }

  /** A request read from a client, by msgid (-1 when it had none). */
  public void messageIn(int msgid) {
    in.computeIfAbsent(msgid, id -> Counter.builder("chat_messages_in").tag("msgid", String.valueOf(id))
        .register(registry)).increment();
  }

  /** A message written to a client: by msgid for replies, {@code forwarded} for chat deliveries. */
  public void messageOut(String msgid) {
    out.computeIfAbsent(msgid, id -> Counter.builder("chat_messages_out").tag("msgid", id).register(registry))
        .increment();
  }

  public void errorReply(int errno) {
    errors.computeIfAbsent(errno, e -> Counter.builder("chat_error_replies").tag("errno", String.valueOf(e))
        .register(registry)).increment();
  }

  /** One recipient reached by {@code route} ({@code local}, {@code remote} or {@code stored}). */
  public void delivered(String route, int recipients, long startNanos) {
    deliveries.computeIfAbsent(route, r -> Counter.builder("chat_deliveries").tag("route", r).register(registry))
        .increment(recipients);
    latency.computeIfAbsent(route, r -> Timer.builder("chat_delivery_latency").tag("route", r)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(10_000))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .register(registry))
        .record(Duration.ofNanos(System.nanoTime() - startNanos));
  }
}
