package chat.delivery;

import chat.context.CallerContext;
import chat.store.LogStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A session's place in each conversation it is active in: messages go out in cseq order with no
 * gap and no repeat, whatever order pushes from several nodes arrive in. A message past a gap is
 * held until the gap fills (a push, or the session's own message coming back from the log) or, after
 * {@link #HOLD_MILLIS}, is filled from the log. The first message of a conversation the session has
 * no place in yet looks the place up (the user's delivered cursor) before it goes out. Places of
 * conversations idle for {@link #IDLE_NANOS} are forgotten (the cursor keeps them). Runs on the
 * session's loop.
 */
final class ConvStreams {
  static final long HOLD_MILLIS = 50;
  private static final long IDLE_NANOS = 60_000_000_000L;
  private static final long UNKNOWN = -1;
  private static final Future<Boolean> TAKEN = Future.succeededFuture(true);
  private static final Future<Boolean> REFUSED = Future.succeededFuture(false);

  /** How the session writes: a live push may be refused (too slow a reader), a catch-up write waits for room. */
  interface Writer {
    /** Writes now, or answers false at once. */
    Future<Boolean> push(Outbound message);

    /** Writes once there is room; false if the session ends first. */
    Future<Boolean> catchUp(Outbound message);

    /** A write was refused: what was not written is owed, and is to be caught up from the log. */
    void fellBehind();
  }

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
  private final boolean echoOwn;
  private final Vertx vertx;
  private final LogStore log;
  private final CursorBook cursors;
  private final Writer writer;
  private Map<String, Stream> streams;

  /** {@code echoOwn}: the user may have other sessions, whose messages this one shows too. */
  ConvStreams(long userId, boolean echoOwn, Vertx vertx, LogStore log, CursorBook cursors, Writer writer) {
    this.userId = userId;
    this.echoOwn = echoOwn;
    this.vertx = vertx;
    this.log = log;
    this.cursors = cursors;
    this.writer = writer;
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

  /** The session ended: whatever is held is not written. */
  void end() {
    if (streams != null) {
      streams.values().forEach(s -> {
        vertx.cancelTimer(s.timer);
        s.held.values().forEach(h -> h.written().tryComplete(false));
      });
      streams = null;
    }
  }

  private Future<Boolean> offer(Outbound message, boolean fromLog) {
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
    s.used = System.nanoTime();
    long cseq = message.cseq();
    if (fromLog && message.sender() == userId && !echoOwn) {
      s.last = cseq;
      cursors.delivered(userId, conv, cseq);
      return TAKEN;
    }
    s.last = cseq;
    Future<Boolean> written = fromLog ? writer.catchUp(message) : writer.push(message);
    return written.andThen(done -> {
      if (done.succeeded() && done.result()) {
        cursors.delivered(userId, conv, cseq);
      } else if (s.last == cseq) {
        // not taken: it stays owed, and the session catches up from the log
        s.last = cseq - 1;
        writer.fellBehind();
      }
    });
  }

  /** Writes what is held, in order, as long as nothing is missing before it. */
  private void release(String conv, Stream s) {
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
    CallerContext.onCaller(log.after(conv, from, missing)).onComplete(read -> {
      s.filling = false;
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

  /** A conversation's first entry in this session: the place is where the user's cursor is. */
  private void place(String conv, Stream s) {
    if (s.filling) {
      return;
    }
    s.filling = true;
    CallerContext.onCaller(log.delivered(userId, conv)).onComplete(cursor -> {
      s.filling = false;
      if (s.last == UNKNOWN) {
        // no cursor to go by: the first held entry is the start
        s.last = cursor.succeeded() && cursor.result() >= 0 ? cursor.result() : s.held.firstKey() - 1;
      }
      release(conv, s);
      waitForGap(conv, s);
    });
  }

  private Stream stream(String conv) {
    if (streams == null) {
      streams = new HashMap<>(4);
    }
    return streams.computeIfAbsent(conv, c -> new Stream());
  }
}
