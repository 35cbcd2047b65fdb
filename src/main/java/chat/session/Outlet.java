package chat.session;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/** The socket side of a connection, as its session writes to it. Called on the connection's loop only. */
public interface Outlet {
  Context context();

  /** A live push: written now (the future completes once it is on the socket), or null when refused. */
  Future<Void> push(Buffer line);

  /** Whether a write now would overfill the connection's write queue. */
  boolean full();

  /** Completes once there is room again; fails if the connection closes first. */
  Future<Void> room();

  /** Writes whatever the queue holds (callers wait for {@link #room} first); completes once written. */
  Future<Void> write(Buffer line);

  void close();
}
