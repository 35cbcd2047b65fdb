package chat.delivery;

import chat.context.CallerContext;
import chat.store.OfflineStore;
import chat.store.StoredMessage;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.List;

/**
 * A logged-in user's offline queue, pushed through their session. Drains run one at a time; a
 * drain asked for while one runs is done right after it. A message leaves the store only once it
 * was written to the socket, and every write waits for room in the connection's write queue, so a
 * client that does not read pins no more than that queue. The login itself counts as the first
 * drain: what is asked for before the login reply is out waits for it. Runs on the session's loop.
 */
final class Mailbox {
  /** Stored messages read at once: with the login card, and per drain. */
  static final int PAGE = 1000;

  private final long userId;
  private final OfflineStore offline;
  private final UserSession.Outlet outlet;
  private final boolean legacy;
  private boolean draining = true;
  private boolean again;
  private boolean stopped;

  Mailbox(long userId, OfflineStore offline, UserSession.Outlet outlet, boolean legacy) {
    this.userId = userId;
    this.offline = offline;
    this.outlet = outlet;
    this.legacy = legacy;
  }

  /**
   * Ends the first drain, once the login reply carrying {@code sent} is out: removes those, then
   * pushes what did not fit ({@code more}) and whatever was stored meanwhile.
   */
  void afterLogin(List<StoredMessage> sent, boolean more) {
    remove(sent).onComplete(removed -> {
      draining = false;
      if (more || again) {
        drain();
      }
    });
  }

  /** Pushes every stored message as a live one. */
  void drain() {
    if (stopped) {
      return;
    }
    if (draining) {
      again = true;
      return;
    }
    draining = true;
    again = false;
    CallerContext.onCaller(offline.peek(userId, PAGE))
        .compose(page -> push(page).compose(v -> remove(page)).map(page.size() == PAGE))
        .onComplete(full -> {
          draining = false;
          if ((full.succeeded() && full.result()) || again) {
            drain();
          }
        });
  }

  /** The session ended: nothing more is pushed (what was not written stays stored). */
  void stop() {
    stopped = true;
  }

  private Future<Void> push(List<StoredMessage> page) {
    Promise<Void> done = Promise.promise();
    pushFrom(page, 0, Future.succeededFuture(), done);
    return done.future();
  }

  /** Writes while the connection has room, waits for room, goes on; done when the last is written. */
  private void pushFrom(List<StoredMessage> page, int from, Future<Void> last, Promise<Void> done) {
    Future<Void> written = last;
    for (int i = from; i < page.size(); i++) {
      if (stopped) {
        done.fail("session ended");
        return;
      }
      if (outlet.full()) {
        int next = i;
        Future<Void> previous = written;
        outlet.room().onComplete(room -> {
          if (room.succeeded()) {
            pushFrom(page, next, previous, done);
          } else {
            done.fail(room.cause());
          }
        });
        return;
      }
      written = outlet.write(Outbound.parse(page.get(i).body()).line(legacy));
    }
    // writes complete in order: the last one written means all of them are
    written.onComplete(done);
  }

  private Future<Void> remove(List<StoredMessage> sent) {
    return sent.isEmpty()
        ? Future.succeededFuture()
        : CallerContext.onCaller(offline.remove(userId, sent.get(sent.size() - 1).id()));
  }
}
