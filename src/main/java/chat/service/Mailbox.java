package chat.service;

import chat.protocol.Messages;
import chat.store.OfflineStore;
import chat.store.StoredMessage;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A logged-in user's offline queue. Drains run one at a time; a drain asked for while one runs is
 * done right after it. A message leaves the store only once it was written to the socket. The
 * login itself counts as the first drain: what is asked for before the login reply is out waits
 * for it.
 */
public final class Mailbox {
  static final int PAGE = 1000;

  private final long userId;
  private final OfflineStore offline;
  private boolean draining = true;
  private boolean again;

  Mailbox(long userId, OfflineStore offline) {
    this.userId = userId;
    this.offline = offline;
  }

  /**
   * Ends the first drain: {@code reply} writes the oldest page (read with the login card) inside
   * the login reply and completes once it is on the socket. Later pages go out as live messages.
   */
  Future<Void> drainFirst(List<StoredMessage> page, Function<List<String>, Future<Void>> reply) {
    return reply.apply(bodies(page)).compose(v -> remove(page)).map(page.size() == PAGE)
        .onComplete(full -> finish(full.succeeded() && full.result()))
        .mapEmpty();
  }

  /** Pushes every queued message to the session as a live message. */
  public void drain(Session session) {
    if (draining) {
      again = true;
      return;
    }
    draining = true;
    again = false;
    offline.peek(userId, PAGE)
        .compose(page -> writeAll(session, page).compose(v -> remove(page)).map(page.size() == PAGE))
        .onComplete(full -> {
          draining = false;
          if ((full.succeeded() && full.result()) || again) {
            drain(session);
          }
        });
  }

  private void finish(boolean more) {
    draining = false;
    again = again || more;
  }

  /** Called once the login reply is out, to continue with what did not fit into it. */
  void continueAfterLogin(Session session) {
    if (again) {
      again = false;
      drain(session);
    }
  }

  private Future<Void> writeAll(Session session, List<StoredMessage> page) {
    if (page.isEmpty()) {
      return Future.succeededFuture();
    }
    for (int i = 0; i < page.size() - 1; i++) {
      session.send(Messages.parseObject(page.get(i).body()));
    }
    return session.sendFlushed(Messages.parseObject(page.get(page.size() - 1).body()));
  }

  private Future<Void> remove(List<StoredMessage> page) {
    return page.isEmpty() ? Future.succeededFuture() : offline.remove(userId, page.get(page.size() - 1).id());
  }

  private static List<String> bodies(List<StoredMessage> page) {
    List<String> out = new ArrayList<>(page.size());
    page.forEach(m -> out.add(m.body()));
    return out;
  }
}
