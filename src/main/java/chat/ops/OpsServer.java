package chat.ops;

import chat.config.ChatConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The operator's HTTP port: {@code /metrics} (Prometheus text), {@code /health/live} (the process
 * answers) and {@code /health/ready} (every dependency check, such as the store's and the broker's,
 * succeeds within a second).
 */
public final class OpsServer extends VerticleBase {
  private static final long CHECK_TIMEOUT_MILLIS = 1000;

  private final ChatConfig.Metrics config;
  private final PrometheusMeterRegistry registry;
  private final Map<String, Supplier<Future<Void>>> checks;
  private final BooleanSupplier draining;
  private HttpServer server;

  /**
   * {@code checks}: readiness checks by name (reported in that order); {@code draining} turns
   * readiness off for good once the node has begun to stop.
   */
  public OpsServer(ChatConfig.Metrics config, PrometheusMeterRegistry registry,
                   Map<String, Supplier<Future<Void>>> checks, BooleanSupplier draining) {
    this.config = config;
    this.registry = registry;
    this.checks = new LinkedHashMap<>(checks);
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
    Map<String, Future<Void>> results = new LinkedHashMap<>();
    checks.forEach((name, check) -> results.put(name, check.get().timeout(CHECK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)));
    Future.join(List.copyOf(results.values())).onComplete(done -> {
      boolean up = results.values().stream().allMatch(Future::succeeded);
      JsonObject body = new JsonObject().put("status", up ? "UP" : "DOWN");
      results.forEach((name, result) -> body.put(name, result.succeeded() ? "UP" : "DOWN"));
      json(request, up ? 200 : 503, body);
    });
  }

  private static void json(HttpServerRequest request, int status, JsonObject body) {
    request.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }
}
