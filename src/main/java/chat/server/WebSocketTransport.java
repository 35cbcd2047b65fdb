package chat.server;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;

/**
 * A connection over WebSocket (the web client's): one JSON object per text frame each way, the
 * same rules otherwise. Frames go through the same framer as TCP bytes, so the frame size limit,
 * bad input and everything after it work alike.
 */
final class WebSocketTransport extends SocketTransport {
  /** Close code: the client broke the protocol (RFC 6455, 1008 policy violation). */
  private static final short BAD_INPUT = 1008;

  private final ServerWebSocket socket;
  private final String remoteAddress;

  /** {@code remoteAddress}: the client's, as the upgrade request saw it (forwarded headers honoured behind nginx). */
  WebSocketTransport(ServerWebSocket socket, String remoteAddress) {
    super(socket, socket);
    this.socket = socket;
    this.remoteAddress = remoteAddress;
  }

  @Override
  public void handler(Handler<Buffer> chunks) {
    socket.textMessageHandler(text -> chunks.handle(Buffer.buffer(text)));
    socket.binaryMessageHandler(chunks);
  }

  @Override
  public void closeHandler(Handler<Void> closed) {
    socket.closeHandler(closed);
    socket.exceptionHandler(err -> { });
  }

  @Override
  public Future<Void> write(Buffer line) {
    // the line without its newline: the frame itself delimits the object
    return socket.writeTextMessage(line.getString(0, line.length() - 1));
  }

  @Override
  public boolean chunksAreMessages() {
    return true;
  }

  @Override
  public boolean mayBeLegacy() {
    return false;
  }

  @Override
  public String remoteAddress() {
    return remoteAddress;
  }

  @Override
  public void close() {
    socket.close();
  }

  /** As for TCP: a close queues behind what waits to be written; from Vert.x's handler context it does not. */
  @Override
  public void abort() {
    if (socket instanceof WebSocketInternal internal) {
      internal.channelHandlerContext().close();
    } else {
      socket.close();
    }
  }

  @Override
  public void closeAfterError() {
    socket.close(BAD_INPUT, "bad input");
  }
}
