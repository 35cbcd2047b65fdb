package chat.server;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * What a connection runs over: a TCP socket or a WebSocket. Inbound comes as chunks of the request
 * stream, outbound goes as NDJSON lines (a WebSocket sends each line as one text frame); the rest is
 * flow control and closing. Called on the connection's own event loop only.
 */
interface Transport {
  /** Where inbound chunks go (for a WebSocket, each text frame). */
  void handler(Handler<Buffer> chunks);

  /** Whether each chunk is a whole message that holds whole objects (a WebSocket frame), not a piece of a stream. */
  boolean chunksAreMessages();

  /** Called when the client has read enough of what waits for it: there is room to write again. */
  void roomHandler(Handler<Void> room);

  void closeHandler(Handler<Void> closed);

  void pause();

  void resume();

  /** Writes one line (a JSON object and its newline); completes once it is out. */
  Future<Void> write(Buffer line);

  boolean writeQueueFull();

  /**
   * Whether a session over it may be legacy: the classic client, which reads one 1024-byte recv
   * per reply, can be at the other end of TCP, never of a WebSocket.
   */
  boolean mayBeLegacy();

  /** The client's address (the real one behind nginx, when the node is told so). */
  String remoteAddress();

  /** Closes after what waits to be written. */
  void close();

  /** Closes at once, dropping what waits to be written (a client that reads nothing). */
  void abort();

  /**
   * Closes after bad input, when every answer before it (and the ERROR) is written: without
   * resetting the connection, so the client reads everything first.
   */
  void closeAfterError();
}
