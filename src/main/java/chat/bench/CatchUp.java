package chat.bench;

import chat.protocol.Messages;
import chat.protocol.MsgId;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

import java.util.BitSet;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code sync --reconnect}: catch-up after a reconnect, end to end. In each pair the sender keeps
 * sending ONE_CHAT_MSGs at a fixed rate (each with a {@code seq}, so its CHAT_ACK tells the cseq it
 * got) while the receiver, again and again, stays online a while, drops its connection, stays away
 * a while, then reconnects: a new connection, LOGIN by token (retried while the server still holds
 * the old session), the {@code offlinemsg} of the login reply, then SYNC {@code after} the last cseq
 * it had seen before it dropped, page after page until {@code more} is false. The time from the new
 * connection to that last page is the catch-up time (login and SYNC parts reported too).
 *
 * <p>Checked: at each catch-up, every cseq from the run's start to the {@code last} of the final
 * page has been seen (live, in {@code offlinemsg} or in a SYNC page); at the end, after a drain,
 * every cseq the sender was acked has been seen (missing = 0); on each connection, live pushes
 * continue the {@code offlinemsg} and go on with no gap. One {@link Pair} per loop-bound pair.
 *
 * <p>Some 370 lines: the scenario's schedule, its checks and its figures share each pair's state,
 * which a split would have to pass around.
 */
final class CatchUp {
  private static final long LOGIN_RETRY_MILLIS = 5;
  private static final int LOGIN_RETRIES = 2000;
  private static final long TICK_MILLIS = 5;
  private static final String TIME = "2026-01-01 00:00:00";

  /** How each pair behaves. */
  record Plan(int rounds, int warmupRounds, long onlineMillis, long offlineMillis, long sendIntervalNanos, int limit,
              Endpoint receivers, String padding) {
  }

  private final Driver driver;
  private final Plan plan;
  final Problems problems = new Problems();
  private final Latency total = new Latency();
  private final Latency login = new Latency();
  private final Latency sync = new Latency();
  private final LongAdder reconnects = new LongAdder();
  private final LongAdder measured = new LongAdder();
  private final LongAdder loginRetries = new LongAdder();
  private final LongAdder syncRequests = new LongAdder();
  private final LongAdder behind = new LongAdder();
  private final LongAdder viaPush = new LongAdder();
  private final LongAdder viaOffline = new LongAdder();
  private final LongAdder viaSync = new LongAdder();
  private final LongAdder redundant = new LongAdder();
  private final LongAdder missingAtCatchUp = new LongAdder();
  private final LongAdder pushGaps = new LongAdder();
  private final LongAdder sent = new LongAdder();
  private final LongAdder acked = new LongAdder();

  CatchUp(Driver driver, Plan plan) {
    this.driver = driver;
    this.plan = plan;
  }

  long reconnects() {
    return reconnects.sum();
  }

  long sent() {
    return sent.sum();
  }

  long acked() {
    return acked.sum();
  }

  Latency latency() {
    return total;
  }

  /** One sender, one receiver and their conversation; everything on loop {@code loop}. */
  final class Pair {
    private final int loop;
    private final BenchConnection sender;
    private final BenchUser receiverUser;
    private final String conv;
    private final long startDelayMillis;
    private final Promise<Void> rounds = Promise.promise();
    private final BitSet seen = new BitSet();
    private final BitSet ackedCseqs = new BitSet();
    private BenchConnection receiver;
    private long base;
    private long maxSeen;
    private long maxAcked;
    private long lastSeenAtDrop;
    private int round;
    private long nextSeq;
    private long nextDue;
    private long unanswered;
    private boolean sending = true;

    Pair(int loop, BenchConnection sender, BenchConnection receiver, long startDelayMillis) {
      this.loop = loop;
      this.sender = sender;
      this.receiver = receiver;
      this.receiverUser = receiver.user();
      this.conv = History.pairConv(sender.user().id, receiverUser.id);
      this.startDelayMillis = startDelayMillis;
    }

    /** Starts the pair on its loop; completes when its rounds of reconnects are done. */
    Future<Void> start() {
      return driver.on(loop, () -> History.last(sender, conv).compose(last -> {
        base = last;
        maxSeen = last;
        maxAcked = last;
        receiver.pushes(new Live(-1));
        driver.vertx().setPeriodic(TICK_MILLIS, id -> {
          if (!sending) {
            driver.vertx().cancelTimer(id);
            return;
          }
          send(System.nanoTime());
        });
        nextDue = System.nanoTime();
        driver.vertx().setTimer(plan.onlineMillis() + startDelayMillis, t -> drop());
        return rounds.future();
      }));
    }

    /** Stops sending (on the pair's loop). */
    Future<Void> stop() {
      return driver.on(loop, () -> {
        sending = false;
        return Future.succeededFuture();
      });
    }

    /** Closes both connections (on the pair's loop). */
    Future<Void> close() {
      return driver.on(loop, () -> {
        sending = false;
        Future<Void> r = receiver == null ? Future.succeededFuture() : receiver.close();
        return Future.join(sender.close(), r).mapEmpty();
      });
    }

    /** {sent but not answered, acked cseqs not seen by the receiver}, read on the pair's loop. */
    Future<long[]> outstanding() {
      return driver.on(loop, () -> Future.succeededFuture(new long[] {unanswered, missing(maxAcked, ackedCseqs)}));
    }

    /** Cseqs after the run's start up to {@code upTo} not seen (only those in {@code only}, when given). */
    private long missing(long upTo, BitSet only) {
      int n = (int) Math.max(0, upTo - base);
      BitSet want = new BitSet(n);
      want.set(0, n);
      if (only != null) {
        want.and(only);
      }
      want.andNot(seen);
      return want.cardinality();
    }

    private void send(long now) {
      while (sending && nextDue <= now) {
        nextDue += plan.sendIntervalNanos();
        long seq = nextSeq++;
        ObjectNode chat = Messages.object(MsgId.ONE_CHAT).put("id", sender.user().id).put("name", sender.user().name)
            .put("toid", receiverUser.id).put("msg", "catch-up " + seq + plan.padding()).put("time", TIME)
            .put("seq", seq);
        sent.increment();
        unanswered++;
        sender.request(chat).onComplete(reply -> {
          unanswered--;
          if (reply.failed()) {
            problems.error("chat message of " + conv + " failed: " + reply.cause().getMessage());
            return;
          }
          ObjectNode ack = reply.result();
          long cseq = ack.path("cseq").asLong(-1);
          if (ack.path("msgid").asInt() != MsgId.CHAT_ACK || ack.path("errno").asInt(-1) != 0 || cseq <= base) {
            problems.error("chat message of " + conv + " answered " + ack);
            return;
          }
          acked.increment();
          ackedCseqs.set((int) (cseq - base - 1));
          maxAcked = Math.max(maxAcked, cseq);
        });
      }
    }

    /** The receiver drops its connection (no LOGINOUT: its token stays valid) and stays away a while. */
    private void drop() {
      lastSeenAtDrop = maxSeen;
      BenchConnection old = receiver;
      receiver = null;
      old.close();
      driver.vertx().setTimer(plan.offlineMillis(), t -> reconnect());
    }

    private void reconnect() {
      long start = System.nanoTime();
      Live live = new Live(-1);
      driver.connect(loop, plan.receivers(), problems)
          .compose(c -> {
            c.pushes(live);
            return login(c, LOGIN_RETRIES);
          })
          .compose(c -> {
            long loggedIn = System.nanoTime();
            receiver = c;
            ObjectNode ack = c.takeLoginAck();
            for (JsonNode text : ack.path("offlinemsg")) {
              ObjectNode m = Messages.parseObject(text.asText());
              if (conv.equals(m.path("conv").textValue())) {
                long cseq = m.path("cseq").asLong(-1);
                see(cseq, viaOffline);
                live.last = Math.max(live.last, cseq);
              }
            }
            return syncAfter(c, lastSeenAtDrop).map(last -> {
              caughtUp(start, loggedIn, System.nanoTime(), last);
              return null;
            });
          })
          .onFailure(err -> {
            problems.error("reconnect of user " + receiverUser.id + " failed: " + err.getMessage());
            if (receiver != null) {
              receiver.close();
              receiver = null;
            }
            driver.vertx().setTimer(plan.offlineMillis(), t -> reconnect());
          });
    }

    /** LOGIN by token, again while the server still holds the dropped session (errno 2) or is busy (503). */
    private Future<BenchConnection> login(BenchConnection c, int retries) {
      return Accounts.login(c, receiverUser, Accounts.LoginBy.TOKEN, false).recover(err -> {
        if (retries > 0 && (err instanceof Accounts.InUse || err instanceof Accounts.Unavailable
            || err instanceof Accounts.TryLater)) {
          loginRetries.increment();
          return driver.vertx().timer(err instanceof Accounts.TryLater later ? later.retryMillis : LOGIN_RETRY_MILLIS)
              .compose(v -> login(c, retries - 1));
        }
        return c.close().transform(v -> Future.failedFuture(err));
      });
    }

    /** SYNC after {@code after}, page after page; completes with the conversation's last at the final page. */
    private Future<Long> syncAfter(BenchConnection c, long after) {
      syncRequests.increment();
      ObjectNode request = Messages.object(MsgId.SYNC).put("conv", conv).put("after", after).put("limit", plan.limit())
          .put("seq", "catch-up");
      return c.request(request).compose(ack -> {
        if (ack.path("msgid").asInt() != MsgId.SYNC_ACK || ack.path("errno").asInt(-1) != 0) {
          return Future.failedFuture("SYNC after " + after + " answered " + ack);
        }
        long expect = after + 1;
        long newest = after;
        for (JsonNode m : ack.path("msgs")) {
          long cseq = m.path("cseq").asLong(-1);
          if (cseq != expect++) {
            problems.error("SYNC after " + after + " of " + conv + ": cseq " + cseq + " where " + (expect - 1)
                + " was due");
          }
          see(cseq, viaSync);
          newest = Math.max(newest, cseq);
        }
        if (ack.path("more").asBoolean(false)) {
          return syncAfter(c, newest);
        }
        return Future.succeededFuture(ack.path("last").asLong(newest));
      });
    }

    private void caughtUp(long start, long loggedIn, long done, long last) {
      reconnects.increment();
      if (round >= plan.warmupRounds()) {
        measured.increment();
        total.record(done - start);
        login.record(loggedIn - start);
        sync.record(done - loggedIn);
      }
      behind.add(Math.max(0, last - lastSeenAtDrop));
      long missing = missing(last, null);
      if (missing > 0) {
        missingAtCatchUp.add(missing);
        problems.show(missing + " entries of " + conv + " up to " + last + " not seen when SYNC had no more");
      }
      round++;
      if (round < plan.rounds()) {
        driver.vertx().setTimer(plan.onlineMillis(), t -> drop());
      } else {
        rounds.tryComplete();
      }
    }

    private void see(long cseq, LongAdder via) {
      if (cseq <= base) {
        return; // from before the run
      }
      int i = (int) (cseq - base - 1);
      if (seen.get(i)) {
        redundant.increment();
        return;
      }
      seen.set(i);
      via.increment();
      maxSeen = Math.max(maxSeen, cseq);
    }

    /** The live pushes of one receiving connection: each the one after the last (the login reply's included). */
    private final class Live implements BenchConnection.Pushes {
      long last;

      Live(long last) {
        this.last = last;
      }

      @Override
      public void pushed(ObjectNode message) {
        if (!conv.equals(message.path("conv").textValue())) {
          return;
        }
        long cseq = message.path("cseq").asLong(-1);
        if (cseq < 0) {
          problems.error("pushed without cseq: " + message);
          return;
        }
        if (last >= 0 && cseq != last + 1) {
          pushGaps.increment();
          problems.show("push of " + conv + " cseq " + cseq + " after " + last + " on one connection");
        }
        last = Math.max(last, cseq);
        see(cseq, viaPush);
      }
    }
  }

  Pair pair(int loop, BenchConnection sender, BenchConnection receiver, long startDelayMillis) {
    return new Pair(loop, sender, receiver, startDelayMillis);
  }

  JsonObject figures(long missing, long unanswered) {
    return new JsonObject()
        .put("reconnects", reconnects.sum())
        .put("measuredReconnects", measured.sum())
        .put("missing", missing)
        .put("missingAtCatchUp", missingAtCatchUp.sum())
        .put("pushGaps", pushGaps.sum())
        .put("sent", sent.sum())
        .put("acked", acked.sum())
        .put("unanswered", unanswered)
        .put("behindPerReconnect", reconnects.sum() == 0 ? 0 : Math.round((double) behind.sum() / reconnects.sum()))
        .put("seenLive", viaPush.sum())
        .put("seenInOfflinemsg", viaOffline.sum())
        .put("seenInSync", viaSync.sum())
        .put("seenAgain", redundant.sum())
        .put("syncRequests", syncRequests.sum())
        .put("loginRetries", loginRetries.sum())
        .put("errors", problems.errors())
        .put("catchUpMicros", Latency.json(total.total()))
        .put("loginMicros", Latency.json(login.total()))
        .put("syncMicros", Latency.json(sync.total()));
  }
}
