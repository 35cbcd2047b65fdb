package chat.server;

import chat.admission.AddressLimiter;
import chat.config.ChatConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.AllowForwardHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

import java.net.URI;

/**
 * The web port, on this verticle's event loop: the web client's files at {@code /} (from the jar,
 * compressed, revalidated by their content's ETag) and the chat protocol over WebSocket at {@code /ws}, whose
 * connections are the same {@link Connection}s as the TCP ones. A page from another origin may not
 * open the WebSocket unless {@code web.allowedOrigins} lists it, so another site cannot drive a
 * user's session from their browser.
 */
final class WebServerVerticle extends VerticleBase {
  /** The web client's files, in the jar. */
  static final String WEBROOT = "webroot";
  /** How many times {@code limits.maxFrameBytes} a WebSocket frame may be before Netty drops the socket unread. */
  private static final int WEBSOCKET_BOUND = 4;

  private final ChatConfig config;
  private final AddressLimiter addresses;
  private final Connections.Factory connectionsOf;
  private final Acceptors acceptors;
  private Connections connections;
  private HttpServer server;
  private Acceptors.Server listening;

  WebServerVerticle(ChatConfig config, AddressLimiter addresses, Connections.Factory connectionsOf, Acceptors acceptors) {
    this.config = config;
    this.addresses = addresses;
    this.connectionsOf = connectionsOf;
    this.acceptors = acceptors;
  }

  @Override
  public Future<?> start() {
    connections = connectionsOf.on(vertx);
    connections.start();
    Router router = Router.router(vertx);
    if (config.proxyProtocol()) {
      // behind nginx: the client's address comes in X-Forwarded-For
      router.allowForward(AllowForwardHeaders.X_FORWARD);
    }
    router.get("/ws").handler(this::upgrade);
    router.route().method(HttpMethod.GET).method(HttpMethod.HEAD)
        .handler(new ContentTags(vertx, WEBROOT))
        .handler(StaticHandler.create(WEBROOT).setCachingEnabled(false).setIncludeHidden(false));
    HttpServerOptions options = new HttpServerOptions()
        .setCompressionSupported(true)
        .setTcpNoDelay(true)
        // room above the limit so that the framer sees an oversize object and answers 101, as over TCP;
        // beyond this bound Netty closes the socket (1009) without reading more
        .setMaxWebSocketFrameSize(WEBSOCKET_BOUND * config.limits().maxFrameBytes())
        .setMaxWebSocketMessageSize(WEBSOCKET_BOUND * config.limits().maxFrameBytes());
    if (config.tls().enabled()) {
      options.setSsl(true).setKeyCertOptions(config.tls().keyCert());
    }
    server = vertx.createHttpServer(options).requestHandler(router);
    return server.listen(config.web().port(), config.web().host()).onSuccess(s -> listening = acceptors.listening(
        config.webListener(), context, server::shutdown));
  }

  private void upgrade(RoutingContext ctx) {
    String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
    if (origin != null && !allowed(origin, ctx.request().getHeader(HttpHeaders.HOST))) {
      ctx.response().setStatusCode(403).end("origin " + origin + " may not open this chat");
      return;
    }
    String address = ctx.request().remoteAddress().hostAddress();
    if (!addresses.connectionAllowed(address)) {
      ctx.response().setStatusCode(429).end("too many connections from your address: wait a minute");
      return;
    }
    ctx.request().toWebSocket().onSuccess(ws -> connections.open(new WebSocketTransport(ws, address)));
  }

  /** The page's own origin (the host it was loaded from), or one listed in {@code web.allowedOrigins}. */
  private boolean allowed(String origin, String host) {
    if (config.web().allowedOrigins().contains(origin)) {
      return true;
    }
    try {
      URI uri = new URI(origin);
      String authority = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
      return host != null && host.equalsIgnoreCase(authority);
    } catch (Exception malformed) {
      return false;
    }
  }

  /** As {@link ChatServerVerticle#stop}: out of service, then every connection closed after what it read. */
  @Override
  public Future<?> stop() {
    return listening.stop(connections);
  }
}
