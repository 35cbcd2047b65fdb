package chat.log;

import chat.loop.Loop;
import chat.store.ConvId;
import chat.store.LogStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VertxException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's appends to the conversations' logs: it numbers each message (the next cseq of its
 * conversation, known here from the last append or read once) and writes a batch in one statement,
 * so a message costs about one round trip and one shared disk flush. Several batches are in flight
 * at once, each conversation in at most one of them, so a conversation's messages are written in
 * the order they came and numbered without gaps. When another node appended to a conversation
 * meanwhile, or a cmid was used before, the store's unique keys refuse the whole batch; it is then
 * numbered again under the conversations' locks (resends answered with their first entry), so a
 * conversation busy on several nodes costs a few round trips more, never a gap or a repeat. An
 * edit or recall entry is appended like a message (its place, its batch), but a batch that holds
 * one is written under the locks at once: its change to an earlier message commits with it. Runs
 * on its own context; results come back on each caller's.
 */
public final class Appender {
  /** Messages per batch at most. */
  static final int MAX_BATCH = 256;
  /** Bytes of bodies per batch at most: one statement, well within the database's packet limit. */
  static final long MAX_BATCH_BYTES = 4L * 1024 * 1024;
  /** Conversations whose newest cseq is remembered; the others are read again when next appended to. */
  static final int KNOWN = 100_000;
  /**
   * Messages taken and not answered yet, across the node, beyond which senders wait for room
   * before they append more (their connections stop reading): the node pushes back instead of
   * queueing; they go on once it is down to half.
   */
  static final int HIGH_WATER = 2048;
  /** Tries of a batch before its messages fail: the first unlocked, the others locked (locks can still cross). */
  static final int ATTEMPTS = 5;

  private record Pending(LogStore.Append append, Promise<LogStore.Appended> appended) {
  }

  private static LogStore.Cmid cmid(Pending p) {
    return p.append().cmid() == null ? null : new LogStore.Cmid(p.append().senderId(), p.append().cmid());
  }

  private final LogStore log;
  private final Context context;
  private final int lanes;
  private final ConcurrentLinkedQueue<Pending> incoming = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  /** Messages waiting, by conversation, in the order they came. */
  private final Map<String, ArrayDeque<Pending>> waiting = new HashMap<>();
  /** Conversations with messages waiting and no batch in flight, the longest waiting first. */
  private final Set<String> ready = new LinkedHashSet<>();
  private final Set<String> inFlight = new HashSet<>();
  /** Each conversation's newest cseq, as far as this node knows: the least recently appended to forgotten first. */
  private final Map<String, Long> known = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
      return size() > KNOWN;
    }
  };
  private int batches;
  private final AtomicInteger backlog = new AtomicInteger();
  private final ConcurrentLinkedQueue<Promise<Void>> waitingForRoom = new ConcurrentLinkedQueue<>();

  /** {@code lanes}: batches in flight at once (the store connections kept for appending). */
  public Appender(LogStore log, Context context, int lanes) {
    this.log = log;
    this.context = context;
    this.lanes = lanes;
  }

  /**
   * Appends the message. Its place among its conversation's messages from this node is taken now,
   * so a later call cannot overtake it; the result (or the store's failure) comes after the commit.
   */
  public Future<LogStore.Appended> append(LogStore.Append append) {
    Promise<LogStore.Appended> appended = Promise.promise();
    backlog.incrementAndGet();
    appended.future().onComplete(done -> {
      if (backlog.decrementAndGet() <= HIGH_WATER / 2) {
        roomAgain();
      }
    });
    incoming.add(new Pending(append, appended));
    if (scheduled.compareAndSet(false, true)) {
      Loop.run(context, this::takeIncoming);
    }
    return Loop.back(appended.future());
  }

  /**
   * Completes (on the caller's context) once the node takes more messages: at once, unless too
   * many are waiting for the log.
   */
  public Future<Void> room() {
    if (backlog.get() < HIGH_WATER) {
      return Future.succeededFuture();
    }
    Promise<Void> room = Promise.promise();
    waitingForRoom.add(room);
    // the backlog may have gone down between the look and the wait
    if (backlog.get() <= HIGH_WATER / 2) {
      roomAgain();
    }
    return Loop.back(room.future());
  }

  private void roomAgain() {
    Promise<Void> next;
    while ((next = waitingForRoom.poll()) != null) {
      next.tryComplete();
    }
  }

  private void takeIncoming() {
    scheduled.set(false);
    Pending next;
    while ((next = incoming.poll()) != null) {
      String conv = next.append().conv().key();
      waiting.computeIfAbsent(conv, c -> new ArrayDeque<>()).add(next);
      if (!inFlight.contains(conv)) {
        ready.add(conv);
      }
    }
    startBatches();
  }

  private void startBatches() {
    while (batches < lanes && !ready.isEmpty()) {
      batches++;
      Batch batch = nextBatch();
      batch.write(1).recover(batch::fail).onComplete(done -> {
        batches--;
        for (String conv : batch.convs) {
          inFlight.remove(conv);
          if (waiting.containsKey(conv)) {
            ready.add(conv);
          }
        }
        startBatches();
      });
    }
  }

  /** The messages of the conversations ready the longest, within a batch's bounds. */
  private Batch nextBatch() {
    Batch batch = new Batch();
    var it = ready.iterator();
    while (it.hasNext() && batch.items.size() < MAX_BATCH) {
      String conv = it.next();
      ArrayDeque<Pending> queue = waiting.get(conv);
      while (!queue.isEmpty() && batch.items.size() < MAX_BATCH
          && (batch.items.isEmpty() || batch.bytes + bytes(queue.peek()) <= MAX_BATCH_BYTES)) {
        Pending p = queue.poll();
        batch.bytes += bytes(p);
        batch.items.add(p);
      }
      batch.convs.add(conv);
      inFlight.add(conv);
      it.remove();
      if (queue.isEmpty()) {
        waiting.remove(conv);
      } else {
        // full: the rest waits for this batch, in order
        break;
      }
    }
    return batch;
  }

  /** A message's size as written, at most: three bytes a character, and room for the rest of the row. */
  private static long bytes(Pending p) {
    return 256 + 3L * p.append().chars();
  }

  /** Messages written together; each conversation's in the order they came. */
  private final class Batch {
    final List<Pending> items = new ArrayList<>();
    final Set<String> convs = new LinkedHashSet<>();
    long bytes;

    /**
     * Numbers the batch, writes it, and answers every message; completes once all are answered. The
     * first attempt numbers from what this node knows, in one statement; one that lost a race
     * (another node took a number, or a cmid was used before) is numbered again under the
     * conversations' locks, where no other node can take the numbers meanwhile, and so is every
     * attempt of a batch that changes earlier messages.
     */
    Future<Void> write(int attempt) {
      boolean locked = attempt > 1 || items.stream().anyMatch(p -> p.append().change() != null);
      // a conversation is opened before its first entry (a pair's row and cursors), also under the locks
      Future<List<LogStore.Numbered>> written = !locked
          ? opened().map(v -> number()).compose(entries -> Loop.back(log.write(entries)).map(entries))
          : opened().compose(v -> Loop.back(log.writeLocked(convIds(), cmids(), this::numberLocked)));
      return written.<Void>map(entries -> {
        entries.forEach(n -> known.merge(n.entry().conv(), n.entry().cseq(), Math::max));
        for (int i = 0; i < entries.size(); i++) {
          items.get(i).appended().tryComplete(new LogStore.Appended(entries.get(i).entry(), false));
        }
        return null;
      }).recover(err -> {
        if (err instanceof LogStore.Conflict && attempt < ATTEMPTS) {
          return write(attempt + 1);
        }
        return fail(err instanceof LogStore.Conflict
            ? new VertxException("the conversation is busy on other nodes: retry", err, true)
            : err);
      });
    }

    /** The messages not answered yet fail; what is known of their conversations is read again next time. */
    Future<Void> fail(Throwable err) {
      // the outcome may not be known (a lost connection may have committed)
      convs.forEach(known::remove);
      items.forEach(p -> p.appended().tryFail(err));
      return Future.succeededFuture();
    }

    /** The conversations this node knows nothing of are opened, and their newest cseq read. */
    private Future<Void> opened() {
      List<ConvId> unknown = convIds().stream().filter(c -> !known.containsKey(c.key())).toList();
      return unknown.isEmpty() ? Future.succeededFuture()
          : Loop.back(log.open(unknown)).map(lasts -> {
            lasts.forEach(known::put);
            return null;
          });
    }

    /**
     * Under the locks: what is known is what the store says, resends (a cmid appended before, or
     * twice in this batch) are answered with their first entry and left out, the rest numbered.
     */
    private List<LogStore.Numbered> numberLocked(Map<String, Long> lasts, Map<LogStore.Cmid, LogStore.Entry> earlier) {
      known.putAll(lasts);
      List<Pending> fresh = new ArrayList<>();
      Map<LogStore.Cmid, Pending> firsts = new HashMap<>();
      for (Pending p : items) {
        LogStore.Cmid cmid = cmid(p);
        LogStore.Entry before = cmid == null ? null : earlier.get(cmid);
        Pending first = cmid == null ? null : firsts.putIfAbsent(cmid, p);
        if (before != null) {
          p.appended().tryComplete(new LogStore.Appended(before, true));
        } else if (first != null) {
          // the same cmid twice in one batch: the second gets what the first becomes
          first.appended().future().onComplete(r -> p.appended().handle(r.map(a -> new LogStore.Appended(a.entry(),
              true))));
        } else {
          fresh.add(p);
        }
      }
      items.retainAll(fresh);
      return number();
    }

    /** The batch's messages, each with the next number of its conversation after what is known, in order. */
    private List<LogStore.Numbered> number() {
      Map<String, Long> next = new HashMap<>();
      List<LogStore.Numbered> entries = new ArrayList<>(items.size());
      for (Pending p : items) {
        LogStore.Append a = p.append();
        long cseq = next.merge(a.conv().key(), known.get(a.conv().key()) + 1, (was, one) -> was + 1);
        entries.add(new LogStore.Numbered(new LogStore.Entry(a.conv().key(), cseq, a.mid(), a.senderId(), a.ts(),
            a.body().apply(cseq), a.kind()), a.cmid(), a.recipients(), a.change()));
      }
      return entries;
    }

    private List<ConvId> convIds() {
      Map<String, ConvId> ids = new LinkedHashMap<>();
      items.forEach(p -> ids.putIfAbsent(p.append().conv().key(), p.append().conv()));
      return List.copyOf(ids.values());
    }

    private Set<LogStore.Cmid> cmids() {
      Set<LogStore.Cmid> cmids = new HashSet<>();
      items.forEach(p -> {
        if (cmid(p) != null) {
          cmids.add(cmid(p));
        }
      });
      return cmids;
    }
  }
}
