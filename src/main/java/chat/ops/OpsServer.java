package chat.ops;

import chat.cluster.Broker;
import chat.config.ChatConfig;
import chat.store.Store;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The operator's HTTP port: {@code /metrics} (Prometheus text), {@code /health/live} (the process
 * answers) and {@code /health/ready} (the store and, when configured, Redis answer within a second).
 */
public final class OpsServer extends VerticleBase {
  private static final long CHECK_TIMEOUT_MILLIS = 1000;

  private final ChatConfig.Ops config;
  private final PrometheusMeterRegistry registry;
  private final Store store;
  private final Broker broker;
  private final BooleanSupplier draining;
  private HttpServer server;

  /** {@code draining} turns readiness off for good once the node has begun to stop. */
  public OpsServer(ChatConfig.Ops config, PrometheusMeterRegistry registry, Store store, Broker broker,
                   BooleanSupplier draining) {
    this.config = config;
    this.registry = registry;
    this.store = store;
    this.broker = broker;
    this.draining = draining;
  }

  @Override
  public Future<?> start() {
    server = vertx.createHttpServer().requestHandler(this::handle);
    return server.listen(config.port(), config.host());
  }

  private void handle(HttpServerRequest request) {
    switch (request.path()) {
      case "/metrics" -> request.response()
          .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
          .end(registry.scrape());
      case "/health/live" -> json(request, 200, new JsonObject().put("status", "UP"));
      case "/health/ready" -> ready(request);
      default -> request.response().setStatusCode(404).end();
    }
  }

  private void ready(HttpServerRequest request) {
    if (draining.getAsBoolean()) {
      json(request, 503, new JsonObject().put("status", "DRAINING"));
      return;
    }
    Future<Void> storeCheck = store.ping().timeout(CHECK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    Future<Void> brokerCheck = broker.ping().timeout(CHECK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    Future.join(storeCheck, brokerCheck).onComplete(done -> {
      boolean up = storeCheck.succeeded() && brokerCheck.succeeded();
      json(request, up ? 200 : 503, new JsonObject()
          .put("status", up ? "UP" : "DOWN")
          .put("store", storeCheck.succeeded() ? "UP" : "DOWN")
          .put("broker", brokerCheck.succeeded() ? "UP" : "DOWN"));
    });
  }

  private static void json(HttpServerRequest request, int status, JsonObject body) {
    request.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }
}
