package chat.log;

import chat.loop.Loop;
import chat.store.LogStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's cursor moves, coalesced: a push or a read only notes how far a user got in a
 * conversation, and the notes go to the store in one statement every {@link #FLUSH_MILLIS}, not one
 * write per push. A session that ends writes its own notes at once, and a login of a user who has
 * other sessions has every node holding one write theirs first, so a login, on any node, reads
 * exact cursors. (A node that dies loses at most the last moments' notes: those messages come
 * again in the next login's offline messages, never lost.)
 */
public final class CursorBook {
  static final long FLUSH_MILLIS = 100;

  private record Key(long userId, String conv) {
  }

  private final LogStore log;
  private final Map<Key, long[]> notes = new ConcurrentHashMap<>();
  /** Writes under way: a flush waits for them too, since they may hold the notes it is after. */
  private final Set<Future<Void>> writing = ConcurrentHashMap.newKeySet();
  private final long timer;
  private final Vertx vertx;

  public CursorBook(Vertx vertx, LogStore log) {
    this.vertx = vertx;
    this.log = log;
    this.timer = vertx.setPeriodic(FLUSH_MILLIS, t -> write(List.copyOf(notes.keySet())));
  }

  /** The user's sessions were pushed up to {@code cseq}. */
  public void delivered(long userId, String conv, long cseq) {
    note(userId, conv, cseq, 0);
  }

  /** The user has read up to {@code cseq} (they wrote it themselves). */
  public void read(long userId, String conv, long cseq) {
    note(userId, conv, 0, cseq);
  }

  private void note(long userId, String conv, long delivered, long read) {
    notes.merge(new Key(userId, conv), new long[] {delivered, read},
        (a, b) -> new long[] {Math.max(a[0], b[0]), Math.max(a[1], b[1])});
  }

  /** Writes this user's notes now; completes on the caller's context. */
  public Future<Void> flush(long userId) {
    return flush(List.of(userId));
  }

  /**
   * Writes these users' notes now, in one statement, and waits for the writes already under way;
   * completes on the caller's context once every note made before the call is in the store.
   */
  public Future<Void> flush(Collection<Long> userIds) {
    List<Key> theirs = new ArrayList<>();
    for (Key key : notes.keySet()) {
      if (userIds.contains(key.userId())) {
        theirs.add(key);
      }
    }
    write(theirs);
    // after our own: a note we did not find was taken by a write that registered before taking it
    return Loop.back(Future.all(List.copyOf(writing)).mapEmpty());
  }

  /** Writes and forgets the notes of these keys; notes that fail to be written are kept for the next round. */
  private Future<Void> write(List<Key> keys) {
    // registered before any note is taken, so a flush that misses a note finds this write
    Promise<Void> written = Promise.promise();
    writing.add(written.future());
    List<LogStore.Cursor> cursors = new ArrayList<>(keys.size());
    for (Key key : keys) {
      long[] note = notes.remove(key);
      if (note != null) {
        cursors.add(new LogStore.Cursor(key.userId(), key.conv(), note[0], note[1]));
      }
    }
    log.advance(cursors)
        .onFailure(err -> cursors.forEach(c -> note(c.userId(), c.conv(), c.delivered(), c.read())))
        .onComplete(done -> writing.remove(written.future()))
        .onComplete(written);
    return written.future();
  }

  /** Stops the periodic writes and writes what is left. */
  public Future<Void> close() {
    vertx.cancelTimer(timer);
    write(List.copyOf(notes.keySet()));
    return Future.all(List.copyOf(writing)).mapEmpty();
  }
}
