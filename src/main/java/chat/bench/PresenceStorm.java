package chat.bench;

import chat.protocol.Messages;
import chat.protocol.MsgId;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * A presence storm: N users, each with friends among them, log in with {@code caps ["presence"]},
 * spread evenly over {@code spread} (user i at start + i·spread/N, on a fresh connection), stay
 * online, then close their connections in the same order over the same time, so each login and each
 * close makes the server push PRESENCE to the friends online at that moment. Each user's connection
 * lives on loop i. Counted: logins (latency from the scheduled time to the LOGIN_MSG_ACK, the TCP
 * connect included), the PRESENCE pushes received against those expected (the user's friends whose
 * login the bench had seen answered and who had not closed yet, when the user's login was answered /
 * when it closed: a count the server can legitimately differ from by the few logins and closes under
 * way at that moment), how long after the login answer / the close each push came, pushes about
 * someone not a friend (strangers: an error) or saying again what the receiver knew (repeated: a
 * login crossing a friend's, not an error), friends still believed online at a user's close whose
 * login never succeeded (phantoms), failures.
 *
 * <p>Some 340 lines: the expected pushes are computed from the same per-user state the schedule
 * moves, so schedule, bookkeeping and figures stay together.
 */
final class PresenceStorm {
  static final List<String> CAPS = List.of("presence");

  private static final int OFFLINE = 0;
  private static final int LOGGING_IN = 1;
  private static final int ONLINE = 2;
  private static final int CLOSED = 3;

  private final Driver driver;
  private final List<BenchUser> users;
  private final int[][] friends;
  private final IntFunction<Endpoint> endpointOf;
  private final Accounts.LoginBy by;
  private final long spreadNanos;
  private final long holdNanos;
  private final Map<Long, Integer> indexOf = new HashMap<>();
  private final AtomicIntegerArray state;
  private final AtomicLongArray answeredAt;
  private final AtomicLongArray closedAt;
  private final AtomicReferenceArray<BenchConnection> connections;
  private final AtomicReferenceArray<Watch> watches;
  /** Per user: the friends it believed online when it closed (checked against who really logged in, at the end). */
  private final AtomicReferenceArray<long[]> believedOnline;
  private final Problems problems = new Problems();
  private final Latency loginLatency = new Latency();
  private final Latency onlineDelay = new Latency();
  private final Latency offlineDelay = new Latency();
  private final LongAdder logins = new LongAdder();
  private final LongAdder loginFailures = new LongAdder();
  /** Logins the server turned away for now (admission control) and the storm user tried again after its hint. */
  private final LongAdder loginRetries = new LongAdder();
  private final LongAdder closes = new LongAdder();
  private final LongAdder onlinePushes = new LongAdder();
  private final LongAdder offlinePushes = new LongAdder();
  private final LongAdder expectedOnline = new LongAdder();
  private final LongAdder expectedOffline = new LongAdder();
  private final LongAdder strangers = new LongAdder();
  private final LongAdder repeated = new LongAdder();
  private final AtomicInteger online = new AtomicInteger();
  private final AtomicLong lastAnswer = new AtomicLong();
  private final AtomicLong lastPush = new AtomicLong();
  private volatile long start = Long.MAX_VALUE;
  private long lastProgressLogins;
  private long lastProgressPushes;
  private long peakLoginsPerSecond;
  private long peakPushesPerSecond;

  PresenceStorm(Driver driver, List<BenchUser> users, int[][] friends, IntFunction<Endpoint> endpointOf,
                Accounts.LoginBy by, long spreadNanos, long holdNanos) {
    this.driver = driver;
    this.users = users;
    this.friends = friends;
    this.endpointOf = endpointOf;
    this.by = by;
    this.spreadNanos = spreadNanos;
    this.holdNanos = holdNanos;
    for (int i = 0; i < users.size(); i++) {
      indexOf.put(users.get(i).id, i);
    }
    state = new AtomicIntegerArray(users.size());
    answeredAt = new AtomicLongArray(users.size());
    closedAt = new AtomicLongArray(users.size());
    connections = new AtomicReferenceArray<>(users.size());
    watches = new AtomicReferenceArray<>(users.size());
    believedOnline = new AtomicReferenceArray<>(users.size());
  }

  /** How long from its start to the last close the storm takes. */
  long nanos() {
    return 2 * spreadNanos + holdNanos;
  }

  private long loginDue(int i) {
    return start + spreadNanos * i / users.size();
  }

  private long closeDue(int i) {
    return loginDue(i) + spreadNanos + holdNanos;
  }

  /** Starts the storm at {@code at} (System.nanoTime()): each loop runs its users' logins and closes on a 1 ms timer. */
  void start(long at) {
    start = at;
    for (int loop = 0; loop < driver.loops(); loop++) {
      List<Integer> mine = new ArrayList<>();
      for (int i = loop; i < users.size(); i += driver.loops()) {
        mine.add(i);
      }
      if (mine.isEmpty()) {
        continue;
      }
      int[] next = {0, 0};
      driver.loop(loop).runOnContext(v -> driver.vertx().setPeriodic(1, id -> {
        long now = System.nanoTime();
        while (next[0] < mine.size() && loginDue(mine.get(next[0])) <= now) {
          login(mine.get(next[0]++));
        }
        while (next[1] < mine.size() && closeDue(mine.get(next[1])) <= now) {
          close(mine.get(next[1]++), now);
        }
        if (next[1] == mine.size()) {
          driver.vertx().cancelTimer(id);
        }
      }));
    }
  }

  private void login(int i) {
    long due = loginDue(i);
    state.set(i, LOGGING_IN);
    Watch watch = new Watch(i);
    watches.set(i, watch);
    driver.connect(i, endpointOf.apply(i), problems)
        .compose(c -> {
          connections.set(i, c);
          c.signals(watch);
          return Accounts.loginAdmitted(driver.vertx(), c, users.get(i), by, false, CAPS, loginRetries,
              () -> state.get(i) == LOGGING_IN);
        })
        .onComplete(ar -> {
          long now = System.nanoTime();
          if (ar.failed()) {
            loginFailures.increment();
            problems.show("storm login of " + users.get(i).id + ": " + ar.cause().getMessage());
            if (connections.get(i) != null) {
              connections.get(i).close();
            }
            return;
          }
          if (state.get(i) == CLOSED) {
            // the server did log it in (and may have told its friends): no phantom
            answeredAt.set(i, now);
            loginFailures.increment();
            problems.show("storm login of " + users.get(i).id + " answered after its close was due");
            ar.result().close();
            return;
          }
          watch.knows(ar.result().takeLoginAck());
          answeredAt.set(i, now);
          state.set(i, ONLINE);
          online.incrementAndGet();
          logins.increment();
          loginLatency.record(now - due);
          lastAnswer.accumulateAndGet(now, Math::max);
          expectedOnline.add(friendsOnline(i));
        });
  }

  private void close(int i, long now) {
    int was = state.getAndSet(i, CLOSED);
    if (was != ONLINE) {
      // not logged in (yet): its login counts as failed when it ends
      return;
    }
    closedAt.set(i, now);
    believedOnline.set(i, watches.get(i).online());
    online.decrementAndGet();
    expectedOffline.add(friendsOnline(i));
    closes.increment();
    connections.get(i).close();
  }

  private int friendsOnline(int i) {
    int n = 0;
    for (int f : friends[i]) {
      if (state.get(f) == ONLINE) {
        n++;
      }
    }
    return n;
  }

  /** The PRESENCE pushes of one storm connection, checked against what its login reply said of each friend. */
  private final class Watch implements BenchConnection.Signals {
    private final int me;
    private final Map<Long, Boolean> known = new HashMap<>();

    Watch(int me) {
      this.me = me;
    }

    void knows(ObjectNode loginAck) {
      for (JsonNode entry : loginAck.path("friends")) {
        ObjectNode friend = Messages.parseObject(entry.textValue());
        known.put(friend.path("id").asLong(), "online".equals(friend.path("state").textValue()));
      }
    }

    long[] online() {
      return known.entrySet().stream().filter(Map.Entry::getValue).mapToLong(Map.Entry::getKey).toArray();
    }

    @Override
    public void signal(ObjectNode message) {
      long now = System.nanoTime();
      if (message.path("msgid").asInt() != MsgId.PRESENCE) {
        problems.error("storm user " + users.get(me).id + " got " + message);
        return;
      }
      lastPush.accumulateAndGet(now, Math::max);
      long id = message.path("id").asLong();
      boolean isOnline = "online".equals(message.path("state").textValue());
      (isOnline ? onlinePushes : offlinePushes).increment();
      Boolean before = known.put(id, isOnline);
      if (before == null) {
        strangers.increment();
        problems.show("storm user " + users.get(me).id + " told of " + message + ", not a friend by its login reply");
      } else if (before == isOnline) {
        repeated.increment();
      }
      Integer subject = indexOf.get(id);
      if (subject != null) {
        long at = (isOnline ? answeredAt : closedAt).get(subject);
        if (at != 0) {
          (isOnline ? onlineDelay : offlineDelay).record(Math.max(now - at, 0));
        }
      }
    }
  }

  /** Closes whatever storm connection is still open (a storm cut short). */
  void closeAll() {
    List<BenchConnection> open = new ArrayList<>();
    for (int i = 0; i < connections.length(); i++) {
      open.add(connections.get(i));
    }
    Fleet.closeAll(open);
  }

  /** A second's progress, for the chat's progress line. */
  String progress() {
    long l = logins.sum();
    long p = onlinePushes.sum() + offlinePushes.sum();
    peakLoginsPerSecond = Math.max(peakLoginsPerSecond, l - lastProgressLogins);
    peakPushesPerSecond = Math.max(peakPushesPerSecond, p - lastProgressPushes);
    String line = String.format(Locale.ROOT, "  | storm online %d  logins %d/s  presence %d/s  failures %d",
        online.get(), l - lastProgressLogins, p - lastProgressPushes, failures());
    lastProgressLogins = l;
    lastProgressPushes = p;
    return line;
  }

  long failures() {
    return loginFailures.sum() + problems.errors() + strangers.sum();
  }

  /**
   * Friends believed online (by login reply or push) when the believer closed, whose own login never
   * succeeded: a login that failed after its claim was seen, of which nobody was told the end.
   */
  private long phantoms() {
    long n = 0;
    for (int i = 0; i < users.size(); i++) {
      long[] believed = believedOnline.get(i);
      for (long id : believed == null ? new long[0] : believed) {
        Integer f = indexOf.get(id);
        if (f != null && answeredAt.get(f) == 0) {
          n++;
        }
      }
    }
    return n;
  }

  JsonObject figures() {
    long n = logins.sum();
    long received = onlinePushes.sum() + offlinePushes.sum();
    double loginSeconds = n == 0 ? 0 : (lastAnswer.get() - start) / 1e9;
    double pushSeconds = received == 0 ? 0 : (lastPush.get() - start) / 1e9;
    return new JsonObject()
        .put("users", users.size())
        .put("logins", n)
        .put("loginFailures", loginFailures.sum())
        .put("loginRetries", loginRetries.sum())
        .put("plannedLoginsPerSecond", Math.round(users.size() / (spreadNanos / 1e9)))
        .put("loginsPerSecond", loginSeconds <= 0 ? 0 : Math.round(n / loginSeconds))
        .put("peakLoginsPerSecond", peakLoginsPerSecond)
        .put("lastLoginAnsweredSeconds", round(loginSeconds))
        .put("loginMicros", Latency.json(loginLatency.total()))
        .put("closes", closes.sum())
        .put("presence", new JsonObject()
            .put("received", received)
            .put("expected", expectedOnline.sum() + expectedOffline.sum())
            .put("online", onlinePushes.sum())
            .put("expectedOnline", expectedOnline.sum())
            .put("offline", offlinePushes.sum())
            .put("expectedOffline", expectedOffline.sum())
            .put("perSecond", pushSeconds <= 0 ? 0 : Math.round(received / pushSeconds))
            .put("peakPerSecond", peakPushesPerSecond)
            .put("lastPushSeconds", round(pushSeconds))
            .put("strangers", strangers.sum())
            .put("repeated", repeated.sum())
            .put("phantoms", phantoms())
            .put("onlineDelayMicros", Latency.json(onlineDelay.total()))
            .put("offlineDelayMicros", Latency.json(offlineDelay.total())))
        .put("errors", problems.errors())
        .put("failures", failures());
  }

  private static double round(double seconds) {
    return Math.round(seconds * 100) / 100.0;
  }
}
