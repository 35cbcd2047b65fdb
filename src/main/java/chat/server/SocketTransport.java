package chat.server;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

/**
 * What every transport does alike: flow control goes straight to the socket, reading
 * ({@code pause}, {@code resume}) and writing ({@code writeQueueFull}, and the socket's drain handler as {@code roomHandler}).
 * The socket comes twice, as the stream it reads and the one it writes: a NetSocket and a WebSocket
 * are both, but Java cannot name a type that is both (each declares {@code exceptionHandler} with
 * its own return type).
 */
abstract class SocketTransport implements Transport {
  private final ReadStream<Buffer> inbound;
  private final WriteStream<Buffer> outbound;

  SocketTransport(ReadStream<Buffer> inbound, WriteStream<Buffer> outbound) {
    this.inbound = inbound;
    this.outbound = outbound;
  }

  @Override
  public final void roomHandler(Handler<Void> room) {
    outbound.drainHandler(room);
  }

  @Override
  public final void pause() {
    inbound.pause();
  }

  @Override
  public final void resume() {
    inbound.resume();
  }

  @Override
  public final boolean writeQueueFull() {
    return outbound.writeQueueFull();
  }
}
