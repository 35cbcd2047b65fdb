package chat.session;

import chat.log.CursorBook;
import chat.loop.Loop;
import chat.store.LogStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A session's place in each conversation it is active in: messages go out in cseq order with no
 * gap and no repeat, whatever order pushes from several nodes arrive in. (Some 380 lines: the
 * ordering, the hold and fill of gaps, where a place starts and the catch-up of several sessions
 * are one state machine per conversation, and split apart they would share every field.)
 * A message past a gap is
 * held until the gap fills (a push, or the session's own message taking its place) or, after
 * {@link #HOLD_MILLIS}, is filled from the log. The first message of a conversation the session has
 * no place in yet looks the place up before it goes out: the user's delivered cursor, which is this
 * session's own when the user holds one session at most. A user with several sessions shares that
 * cursor among them, so a session also goes back to where the conversation stood when it started
 * (every entry written since is its to show), and catches up the conversations where it missed
 * entries from the log by itself ({@link #catchUpMissed}), since another session may have moved the
 * cursor past them. Places of conversations idle for {@link #IDLE_NANOS} are forgotten (the cursor
 * keeps them). Writes go straight to the connection's {@link Outlet}: a live push is refused when the
 * reader is too slow (it stays owed), a catch-up write waits for room. Runs on the session's loop.
 */
final class ConversationStreams {
  static final long HOLD_MILLIS = 50;
  /** How far before its start a session of a user with several counts entries as its own: clocks of nodes differ a little. */
  static final long SKEW_MILLIS = 1000;
  /** Entries read from the log at once when catching up a conversation. */
  private static final int PAGE = 500;
  private static final long IDLE_NANOS = 60_000_000_000L;
  private static final long UNKNOWN = -1;
  private static final Future<Boolean> TAKEN = Future.succeededFuture(true);
  private static final Future<Boolean> REFUSED = Future.succeededFuture(false);

  private static final class Stream {
    long last = UNKNOWN;
    final TreeMap<Long, Held> held = new TreeMap<>();
    long timer = -1;
    boolean filling;
    long used = System.nanoTime();
  }

  private record Held(Outbound message, boolean fromLog, Promise<Boolean> written) {
  }

  private final long userId;
  private final boolean severalSessions;
  private final boolean legacy;
  /** Whether edit and recall entries are written (caps edits), or only take their place. */
  private final boolean edits;
  private final Outlet outlet;
  private final Vertx vertx;
  private final LogStore log;
  private final CursorBook cursors;
  /** Epoch millis the session started at: its user's own messages written before are history, not shown. */
  private final long startedAt;
  /** Epoch millis: entries written since are this session's to show, whatever the shared cursor says. */
  private final long since;
  private Map<String, Stream> streams;
  /** Conversations where this session missed entries (a user with several sessions only). */
  private Set<String> behind;
  private boolean ended;

  /**
   * {@code severalSessions}: the user may have other sessions, whose messages this one shows too,
   * and with whom it shares the delivered cursor; {@code legacy}: entries go out in the classic shape
   * (and a recalled message not at all); {@code edits}: edit and recall entries are written.
   */
  ConversationStreams(long userId, boolean severalSessions, boolean legacy, boolean edits, Outlet outlet, Vertx vertx,
                      LogStore log, CursorBook cursors) {
    this.userId = userId;
    this.severalSessions = severalSessions;
    this.legacy = legacy;
    this.edits = edits;
    this.outlet = outlet;
    this.vertx = vertx;
    this.log = log;
    this.cursors = cursors;
    this.startedAt = System.currentTimeMillis();
    this.since = startedAt - SKEW_MILLIS;
  }

  /** A push that is not part of a conversation's log (a receipt, typing): written now or dropped. */
  Future<Boolean> signal(Outbound message) {
    return push(message);
  }

  /**
   * A pushed log entry: written when it is next, held when earlier ones are missing. True once
   * written (or when it had been already); false when the session did not take it.
   */
  Future<Boolean> pushed(Outbound message) {
    return offer(message, false);
  }

  /**
   * An entry read from the log (catching up): written in its place, waiting for room; the user's
   * own skipped, unless they may come from another session of theirs.
   */
  Future<Boolean> fromLog(Outbound message) {
    return offer(message, true);
  }

  /**
   * The session's own message, appended: it needs no writing, only its place, in turn (a message
   * of the other side may come before it and still be on its way).
   */
  void own(String conv, long cseq) {
    if (ended) {
      return;
    }
    Stream s = stream(conv);
    if (s.last != UNKNOWN && cseq <= s.last) {
      return;
    }
    s.held.putIfAbsent(cseq, new Held(null, true, Promise.promise()));
    if (s.last == UNKNOWN) {
      place(conv, s);
    } else {
      release(conv, s);
      waitForGap(conv, s);
    }
  }

  /** The entries of the login reply went out: each conversation continues after them. */
  void sent(List<LogStore.Entry> entries) {
    for (LogStore.Entry e : entries) {
      Stream s = stream(e.conv());
      s.last = Math.max(s.last, e.cseq());
      if (e.senderId() != userId) {
        cursors.delivered(userId, e.conv(), e.cseq());
      }
    }
  }

  /** Forgets the places of conversations that have been quiet a while (and hold nothing). */
  void forgetIdle(long now) {
    if (streams == null) {
      return;
    }
    streams.values().removeIf(s -> s.held.isEmpty() && !s.filling && now - s.used > IDLE_NANOS);
    if (streams.isEmpty()) {
      streams = null;
    }
  }

  /**
   * This session did not take an entry of the conversation (its login was under way). With one
   * session per user the log's owed entries bring it back; with several, {@link #catchUpMissed} must.
   */
  void missed(String conv) {
    if (severalSessions) {
      if (behind == null) {
        behind = new HashSet<>(4);
      }
      behind.add(conv);
    }
  }

  /**
   * Writes, from the log, what this session missed in the conversations it fell behind in, each
   * from its own place on; true once all is written, false if a write was refused.
   */
  Future<Boolean> catchUpMissed() {
    if (behind == null || behind.isEmpty()) {
      return TAKEN;
    }
    List<String> convs = List.copyOf(behind);
    behind = null;
    Future<Boolean> done = TAKEN;
    for (String conv : convs) {
      done = done.compose(ok -> ok ? catchUpMissed(conv) : REFUSED);
    }
    return done;
  }

  private Future<Boolean> catchUpMissed(String conv) {
    Stream s = stream(conv);
    Future<Long> from = s.last != UNKNOWN ? Future.succeededFuture(s.last) : start(conv, UNKNOWN);
    return from.compose(start -> {
      if (s.last == UNKNOWN) {
        s.last = start;
      }
      return Loop.back(log.after(conv, s.last, PAGE));
    }).compose(page -> {
      Future<Boolean> written = TAKEN;
      for (LogStore.Entry e : page) {
        written = offer(Outbound.entry(e), true);
      }
      return written.compose(ok -> ok && page.size() == PAGE ? catchUpMissed(conv) : Future.succeededFuture(ok));
    }, err -> {
      missed(conv);
      return REFUSED;
    });
  }

  /**
   * The session ended: whatever is held is not written, and a lookup still under way (a place, a
   * gap's fill) finds nothing to release when it comes back: a write now would reach a connection
   * whose user logged out, and mark delivered what nobody was shown.
   */
  void end() {
    ended = true;
    if (streams != null) {
      streams.values().forEach(s -> {
        vertx.cancelTimer(s.timer);
        s.held.values().forEach(h -> h.written().tryComplete(false));
        s.held.clear();
      });
      streams = null;
    }
  }

  private Future<Boolean> offer(Outbound message, boolean fromLog) {
    if (ended) {
      return REFUSED;
    }
    String conv = message.conv();
    Stream s = stream(conv);
    long cseq = message.cseq();
    if (s.last != UNKNOWN && cseq <= s.last) {
      return TAKEN;
    }
    if (s.last != UNKNOWN && cseq == s.last + 1 && s.held.isEmpty()) {
      return emit(conv, s, message, fromLog);
    }
    Held held = s.held.get(cseq);
    if (held == null) {
      held = new Held(message, fromLog, Promise.promise());
      s.held.put(cseq, held);
    }
    if (s.last == UNKNOWN) {
      place(conv, s);
    } else {
      release(conv, s);
      waitForGap(conv, s);
    }
    return held.written().future();
  }

  /** Writes the next entry and moves the place on; a refused write leaves the place where it was. */
  private Future<Boolean> emit(String conv, Stream s, Outbound message, boolean fromLog) {
    if (ended) {
      return REFUSED;
    }
    s.used = System.nanoTime();
    long cseq = message.cseq();
    // what the session does not show takes its place unwritten: an edit it did not ask for, or its
    // user's own message read back from the log (one of several sessions shows those its user's
    // other sessions sent after it started, not the user's history before it)
    boolean ownHistory = fromLog && message.sender() == userId && (!severalSessions || message.writtenAt() < startedAt);
    if (ownHistory || !message.shownTo(legacy, edits)) {
      s.last = cseq;
      cursors.delivered(userId, conv, cseq);
      return TAKEN;
    }
    s.last = cseq;
    Future<Boolean> written = fromLog ? writeWhenRoom(message) : push(message);
    return written.andThen(done -> {
      if (done.succeeded() && done.result()) {
        cursors.delivered(userId, conv, cseq);
      } else if (s.last == cseq) {
        // not taken: it stays owed, and the session catches up from the log (its caller sees false)
        s.last = cseq - 1;
        missed(conv);
      }
    });
  }

  /** A live push: false when the reader is too slow (the message stays owed). */
  private Future<Boolean> push(Outbound message) {
    Future<Void> written = outlet.push(message.line(legacy));
    return written == null ? REFUSED : written.map(true).otherwise(false);
  }

  /** A catch-up write: waits for room, so a client that does not read pins nothing more. */
  private Future<Boolean> writeWhenRoom(Outbound message) {
    if (ended) {
      return REFUSED;
    }
    if (!outlet.full()) {
      return outlet.write(message.line(legacy)).map(true).otherwise(false);
    }
    return outlet.room().compose(v -> writeWhenRoom(message), err -> REFUSED);
  }

  /** Writes what is held, in order, as long as nothing is missing before it. */
  private void release(String conv, Stream s) {
    if (ended) {
      return;
    }
    Iterator<Map.Entry<Long, Held>> it = s.held.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Long, Held> next = it.next();
      if (next.getKey() <= s.last) {
        it.remove();
        next.getValue().written().tryComplete(true);
      } else if (next.getKey() == s.last + 1) {
        it.remove();
        Held h = next.getValue();
        if (h.message() == null) {
          s.last = next.getKey();
          cursors.delivered(userId, conv, s.last);
          h.written().tryComplete(true);
        } else {
          emit(conv, s, h.message(), h.fromLog()).onComplete(h.written());
        }
      } else {
        return;
      }
    }
    if (s.held.isEmpty()) {
      vertx.cancelTimer(s.timer);
      s.timer = -1;
    }
  }

  private void waitForGap(String conv, Stream s) {
    if (s.timer == -1 && !s.held.isEmpty() && !s.filling) {
      s.timer = vertx.setTimer(HOLD_MILLIS, t -> {
        s.timer = -1;
        fill(conv, s);
      });
    }
  }

  /** The gap did not fill in time: reads what is missing from the log. */
  private void fill(String conv, Stream s) {
    if (s.held.isEmpty() || s.filling) {
      return;
    }
    s.filling = true;
    long from = s.last;
    int missing = (int) Math.min(Integer.MAX_VALUE, s.held.firstKey() - from - 1);
    Loop.back(log.after(conv, from, missing)).onComplete(read -> {
      s.filling = false;
      if (ended) {
        return;
      }
      if (read.succeeded()) {
        read.result().forEach(e -> {
          if (e.cseq() > s.last && !s.held.containsKey(e.cseq())) {
            s.held.put(e.cseq(), new Held(Outbound.entry(e), true, Promise.promise()));
          }
        });
      }
      release(conv, s);
      waitForGap(conv, s);
    });
  }

  /** A conversation's first entry in this session: the session's place is looked up first. */
  private void place(String conv, Stream s) {
    if (s.filling) {
      return;
    }
    s.filling = true;
    start(conv, s.held.firstKey()).onComplete(start -> {
      s.filling = false;
      if (ended) {
        return;
      }
      if (s.last == UNKNOWN) {
        s.last = start.succeeded() ? start.result() : s.held.firstKey() - 1;
      }
      release(conv, s);
      waitForGap(conv, s);
    });
  }

  /**
   * Where this session starts in a conversation, given the first entry it holds there (or
   * {@link #UNKNOWN}): after the user's delivered cursor; without a cursor, with that entry; and
   * when the user has several sessions, no later than where the conversation stood as it started,
   * but never before the user joined it.
   */
  private Future<Long> start(String conv, long firstHeld) {
    return Loop.back(log.place(userId, conv)).compose(place -> {
      long delivered = place.delivered();
      long start = delivered >= 0 ? delivered : firstHeld == UNKNOWN ? Long.MAX_VALUE : firstHeld - 1;
      if (!severalSessions && delivered >= 0) {
        return Future.succeededFuture(start);
      }
      return Loop.back(log.lastBefore(conv, since)).map(before -> Math.max(place.joined(), Math.min(start, before)));
    });
  }

  private Stream stream(String conv) {
    if (streams == null) {
      streams = new HashMap<>(4);
    }
    return streams.computeIfAbsent(conv, c -> new Stream());
  }
}
