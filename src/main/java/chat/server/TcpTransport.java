package chat.server;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/** A connection over TCP: the classic client's, our terminal client's, or nginx's stream proxy's. */
final class TcpTransport extends SocketTransport {
  /** After bad input: how long to keep reading (and dropping) before closing, so the close resets nothing. */
  private static final long LINGER_QUIET_MILLIS = 250;
  private static final long LINGER_MAX_MILLIS = 2000;

  private final Vertx vertx;
  private final NetSocket socket;

  TcpTransport(Vertx vertx, NetSocket socket) {
    super(socket, socket);
    this.vertx = vertx;
    this.socket = socket;
  }

  @Override
  public void handler(Handler<Buffer> chunks) {
    socket.handler(chunks);
  }

  @Override
  public void closeHandler(Handler<Void> closed) {
    socket.closeHandler(closed);
    // a reset or a broken pipe ends in the close handler too: nothing more to do with it here
    socket.exceptionHandler(err -> { });
  }

  @Override
  public boolean chunksAreMessages() {
    return false;
  }

  @Override
  public boolean mayBeLegacy() {
    return true;
  }

  @Override
  public Future<Void> write(Buffer line) {
    return socket.write(line);
  }

  @Override
  public String remoteAddress() {
    return socket.remoteAddress().hostAddress();
  }

  @Override
  public void close() {
    socket.close();
  }

  /**
   * Vert.x's close queues behind the pending writes, so for a client that reads nothing it would
   * never happen; closing from Vert.x's own handler context goes straight to the channel.
   */
  @Override
  public void abort() {
    if (socket instanceof NetSocketInternal internal) {
      internal.channelHandlerContext().close();
    } else {
      socket.close();
    }
  }

  /**
   * Closing with unread input makes the kernel reset the connection, and the client may lose what
   * it has not read yet: first read and drop what still comes, until the client closes, stays
   * quiet for a moment, or the time is up.
   */
  @Override
  public void closeAfterError() {
    long[] quiet = {vertx.setTimer(LINGER_QUIET_MILLIS, t -> socket.close())};
    vertx.setTimer(LINGER_MAX_MILLIS, t -> socket.close());
    socket.handler(dropped -> {
      vertx.cancelTimer(quiet[0]);
      quiet[0] = vertx.setTimer(LINGER_QUIET_MILLIS, t -> socket.close());
    });
    socket.endHandler(v -> socket.close());
    socket.resume();
  }
}
