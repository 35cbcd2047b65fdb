package chat.server;

import chat.admission.AddressLimiter;
import chat.config.ChatConfig;
import chat.protocol.ErrorCode;
import chat.protocol.Messages;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

/** One NetServer on one port, on this verticle's event loop; it only builds connections. */
final class ChatServerVerticle extends VerticleBase {
  private final ChatConfig config;
  private final int port;
  private final AddressLimiter addresses;
  private final Connections.Factory connectionsOf;
  private final Acceptors acceptors;
  private Connections connections;
  private NetServer server;
  private Acceptors.Server listening;

  ChatServerVerticle(ChatConfig config, int port, AddressLimiter addresses, Connections.Factory connectionsOf,
      Acceptors acceptors) {
    this.config = config;
    this.port = port;
    this.addresses = addresses;
    this.connectionsOf = connectionsOf;
    this.acceptors = acceptors;
  }

  static NetServerOptions options(ChatConfig config) {
    NetServerOptions options = new NetServerOptions()
        .setTcpNoDelay(true)
        .setUseProxyProtocol(config.proxyProtocol());
    if (config.tls().enabled()) {
      options.setSsl(true).setKeyCertOptions(config.tls().keyCert());
    }
    return options;
  }

  @Override
  public Future<?> start() {
    connections = connectionsOf.on(vertx);
    connections.start();
    server = vertx.createNetServer(options(config)).connectHandler(this::accept);
    return server.listen(port, config.host()).onSuccess(s -> listening = acceptors.listening(
        config.chatListener(s.actualPort()), context, server::shutdown));
  }

  private void accept(NetSocket socket) {
    if (!addresses.connectionAllowed(socket.remoteAddress().hostAddress())) {
      socket.write(Messages.encode(Messages.error(ErrorCode.RATE_LIMITED,
          "too many connections from your address: wait a minute"))).onComplete(v -> socket.close());
      return;
    }
    connections.open(new TcpTransport(vertx, socket));
  }

  /**
   * Stops accepting (the node's stop has done so already on every port), closes every connection
   * after the requests it already read were handled (in-flight deliveries finish), and waits until
   * each has logged its user out.
   */
  @Override
  public Future<?> stop() {
    return listening.stop(connections);
  }
}
