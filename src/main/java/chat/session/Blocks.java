package chat.session;

import chat.loop.Loop;
import chat.store.BlockStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Whom a logged-in user blocks and who blocks them, as their session holds it: a one-to-one
 * message, a friend request or a typing notice is checked here, without asking the store. Read with
 * the login card, and again whenever a BLOCK or UNBLOCK of either user says it changed. Such a
 * notice is taken once lists read after it are in place, so BLOCK_ACK, which waits until every
 * session of both users took it, means that each of them enforces the block. A read a notice
 * overtook may predate the change: another read follows. A read that fails leaves the lists
 * unknown (the services then refuse what they would check, 503) and is tried again a second later.
 * Runs on the session's loop.
 */
public final class Blocks {
  private static final Logger LOG = LoggerFactory.getLogger(Blocks.class);
  private static final long RETRY_MILLIS = 1000;
  private static final Future<Boolean> TAKEN = Future.succeededFuture(true);

  private final long userId;
  private final BlockStore store;
  private final Vertx vertx;
  /** Null while unknown: before the login card, or after a failed read. */
  private BlockStore.Lists lists;
  /** Notices taken; a read is trusted only if none came after it started. */
  private int notices;
  private boolean reading;
  private boolean ended;
  private final List<Promise<Boolean>> waiting = new ArrayList<>(0);

  Blocks(long userId, BlockStore store, Vertx vertx) {
    this.userId = userId;
    this.store = store;
    this.vertx = vertx;
  }

  /** Whether the lists are known: otherwise nothing they decide may go ahead. */
  public boolean known() {
    return lists != null;
  }

  /** Whether this user blocks {@code other} (false while unknown: ask {@link #known} first). */
  public boolean blocks(long other) {
    return lists != null && lists.blocked().contains(other);
  }

  /** Whether {@code other} blocks this user (false while unknown). */
  public boolean blockedBy(long other) {
    return lists != null && lists.blockers().contains(other);
  }

  /**
   * The lists read with the login card, after the session was bound: a notice taken since may be
   * newer than they are, and then they are read again.
   */
  void loaded(BlockStore.Lists fromCard) {
    if (notices == 0) {
      lists = fromCard;
    } else {
      read();
    }
  }

  /** A BLOCK or UNBLOCK concerning this user committed: true once lists read since are in place. */
  Future<Boolean> changed() {
    if (ended) {
      return TAKEN;
    }
    notices++;
    Promise<Boolean> taken = Promise.promise();
    waiting.add(taken);
    // before the login card, the card's arrival reads them again
    if (lists != null && !reading) {
      read();
    }
    return taken.future();
  }

  /** The session ended: it enforces nothing any more. */
  void end() {
    ended = true;
    release(true);
  }

  private void read() {
    reading = true;
    int asOf = notices;
    Loop.back(store.lists(userId)).onComplete(read -> {
      reading = false;
      if (ended) {
        return;
      }
      if (read.failed()) {
        LOG.warn("user {}: cannot read who blocks whom, refusing what depends on it: {}", userId,
            read.cause().toString());
        lists = null;
        release(false);
        vertx.setTimer(RETRY_MILLIS, t -> {
          if (!ended && !reading) {
            read();
          }
        });
      } else if (notices != asOf) {
        read();
      } else {
        lists = read.result();
        release(true);
      }
    });
  }

  private void release(boolean taken) {
    List<Promise<Boolean>> done = List.copyOf(waiting);
    waiting.clear();
    done.forEach(p -> p.tryComplete(taken));
  }
}
