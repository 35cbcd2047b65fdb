package chat.bench;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code sync}: reading history after a reconnect (PROTOCOL.md v2, SYNC). Set-up gives each of P
 * pairs' conversations at least {@code --history} entries (appending ONE_CHAT_MSGs, acked, only
 * what is missing: a later run against the same server reuses them; with {@code --changes}, edits
 * and recalls among them, as PROTOCOL.md's lifecycle makes them); then both users of every
 * pair read their conversation with SYNC, closed loop ({@code --window}) or open loop
 * ({@code --rate}), pages of {@code --limit} {@code after} a cseq {@code --behind} the newest and/or
 * {@code before} a random cseq, each page checked against the log. With {@code --reconnect}, the
 * end-to-end catch-up instead: see {@link CatchUp}.
 */
@Command(name = "sync", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"History reads (SYNC, PROTOCOL.md v2) after a reconnect: SYNC throughput and latency over "
        + "conversations with history, or (--reconnect) receivers that drop, reconnect by token and catch up "
        + "with SYNC while their senders keep sending: time to catch up, and nothing missing."})
final class SyncCommand implements Callable<Integer> {
  private static final int MAX_LIMIT = 500;

  @Mixin
  Common common;

  @Mixin
  Phases phases;

  @Option(names = "--pairs", defaultValue = "10", description = "conversations, each of two users (default ${DEFAULT-VALUE})")
  int pairs;

  @Option(names = "--history", defaultValue = "200", description = "entries each conversation has at least; set-up appends what is missing (default ${DEFAULT-VALUE})")
  int history;

  @Option(names = "--changes", defaultValue = "0", description = "of every 100 entries set-up appends, how many are "
      + "edits and recalls (in turn) of the messages before them, 0-50 (default ${DEFAULT-VALUE})")
  int changes;

  @Option(names = "--limit", defaultValue = "100", description = "entries per SYNC page, 1-500 (default ${DEFAULT-VALUE})")
  int limit;

  @Option(names = "--behind", defaultValue = "100", description = "after-pages start this many entries before the newest (default ${DEFAULT-VALUE})")
  int behind;

  @Option(names = "--pages", defaultValue = "MIXED", description = "${COMPLETION-CANDIDATES}: SYNC after, before, or each in turn (default ${DEFAULT-VALUE})")
  SyncClient.Pages pages;

  @Option(names = "--window", defaultValue = "1", description = "closed loop: SYNC requests in flight per connection (default ${DEFAULT-VALUE})")
  int window;

  @Option(names = "--rate", defaultValue = "0", description = "open loop: total SYNC requests per second; 0 = closed loop (default)")
  double rate;

  @Option(names = "--size", defaultValue = "0", description = "padding bytes added to each appended message text (default ${DEFAULT-VALUE})")
  int size;

  @Option(names = "--reconnect", description = "catch-up end to end instead: receivers drop, reconnect by token and SYNC after "
      + "the last cseq they saw; runs --rounds (not --warmup/--duration; --history, --behind, --pages, --window and --rate "
      + "do not apply), --drain bounds the wait for the last messages")
  boolean reconnect;

  @Option(names = "--rounds", defaultValue = "5", description = "--reconnect: reconnects per receiver (default ${DEFAULT-VALUE})")
  int rounds;

  @Option(names = "--warmup-rounds", defaultValue = "1", description = "--reconnect: first reconnects of each receiver left out of the latency (default ${DEFAULT-VALUE})")
  int warmupRounds;

  @Option(names = "--online-ms", defaultValue = "1000", description = "--reconnect: how long a receiver stays connected (default ${DEFAULT-VALUE})")
  long onlineMillis;

  @Option(names = "--offline-ms", defaultValue = "1000", description = "--reconnect: how long a receiver stays away (default ${DEFAULT-VALUE})")
  long offlineMillis;

  @Option(names = "--chat-rate", defaultValue = "1000", description = "--reconnect: total chat messages per second of the senders (default ${DEFAULT-VALUE})")
  double chatRate;

  @Override
  public Integer call() {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new ParameterException(common.scenario.commandLine(), "--limit must be 1-" + MAX_LIMIT);
    }
    if (common.legacy) {
      throw new ParameterException(common.scenario.commandLine(),
          "sync reads PROTOCOL.md v2 history (conv, cseq), which legacy sessions do not get: drop --legacy");
    }
    if (changes < 0 || changes > 50) {
      throw new ParameterException(common.scenario.commandLine(), "--changes must be 0-50 (of every 100 entries)");
    }
    if (pairs < 1 || history < 0 || behind < 0 || window < 1 || (reconnect && (rounds < 1 || chatRate <= 0))) {
      throw new ParameterException(common.scenario.commandLine(),
          "--pairs, --window, --rounds and --chat-rate must be positive; --history and --behind not negative");
    }
    try (Driver driver = common.driver()) {
      return reconnect ? catchUp(driver) : load(driver);
    }
  }

  private int load(Driver driver) {
    SyncMeter meter = new SyncMeter();
    Fleet fleet = new Fleet(driver, common, meter.problems);
    List<BenchConnection> connections = fleet.loginAll(fleet.users(2 * pairs, null), i -> i / 2,
        i -> common.senders(), common.loginBy(Accounts.LoginBy.AUTO), false);
    List<String> convs = new ArrayList<>();
    for (int p = 0; p < pairs; p++) {
      convs.add(History.pairConv(connections.get(2 * p).user().id, connections.get(2 * p + 1).user().id));
    }
    long setUp = System.nanoTime();
    System.out.printf("history: %d conversations to at least %d entries each (%d of every 100 appended edits and"
        + " recalls)...%n", pairs, history, changes);
    String padding = "x".repeat(Math.max(size, 0));
    Throttle.Outcome<Long> filled = Throttle.run(pairs, common.registerConcurrency, p -> driver.on(p,
        () -> History.fill(connections.get(2 * p), connections.get(2 * p + 1), convs.get(p), history, changes, padding)))
        .await();
    if (filled.failed() > 0) {
      Fleet.closeAll(connections);
      throw new IllegalStateException(filled.failed() + " conversations not filled, first: " + filled.firstFailure());
    }
    double setUpSeconds = (System.nanoTime() - setUp) / 1e9;
    List<Long> lasts = filled.results();

    long interval = rate <= 0 ? 0 : Math.max(1, Math.round(1e9 * connections.size() / rate));
    SyncClient.Plan plan = new SyncClient.Plan(pages, limit, behind, window, interval);
    List<List<SyncClient>> byLoop = new ArrayList<>();
    for (int i = 0; i < driver.loops(); i++) {
      byLoop.add(new ArrayList<>());
    }
    for (int i = 0; i < connections.size(); i++) {
      int p = i / 2;
      byLoop.get(Math.floorMod(p, driver.loops()))
          .add(new SyncClient(connections.get(i), convs.get(p), lasts.get(p), plan, meter));
    }
    System.out.printf("sync: %d connections on %d conversations (last %d-%d), pages %s of %d (after: %d behind), %s%n",
        connections.size(), pairs, lasts.stream().mapToLong(Long::longValue).min().orElse(0),
        lasts.stream().mapToLong(Long::longValue).max().orElse(0), pages, limit, behind,
        interval > 0 ? "open loop at " + rate + " SYNC/s" : "closed loop, window " + window);
    long t0 = System.nanoTime();
    long windowStart = t0 + TimeUnit.SECONDS.toNanos(phases.warmup);
    long windowEnd = windowStart + TimeUnit.SECONDS.toNanos(phases.duration);
    meter.window(windowStart, windowEnd);
    start(driver, byLoop, t0, interval, meter);
    progress(meter, t0, windowStart, windowEnd);
    meter.stop();
    Fleet.closeAll(connections);
    fleet.save();

    JsonObject settings = new JsonObject().put("pairs", pairs).put("connections", connections.size())
        .put("history", history).put("changesPer100", changes).put("pages", pages.name()).put("limit", limit).put("behind", behind)
        .put("mode", interval > 0 ? "open" : "closed").put("window", window).put("rate", rate).put("padBytes", size)
        .put("server", common.senders().toString()).put("warmupSeconds", phases.warmup)
        .put("durationSeconds", phases.duration);
    JsonObject historyFigures = new JsonObject()
        .put("lastMin", lasts.stream().mapToLong(Long::longValue).min().orElse(0))
        .put("lastMax", lasts.stream().mapToLong(Long::longValue).max().orElse(0))
        .put("setUpSeconds", Math.round(setUpSeconds * 100) / 100.0);
    Report.emit(new JsonObject().put("scenario", "sync").put("settings", settings).put("history", historyFigures)
        .put("figures", meter.figures(phases.duration)), common.out("sync"));
    return 0;
  }

  /** Starts every client on its loop; in open loop each loop gets a 1 ms timer sending what is due. */
  private static void start(Driver driver, List<List<SyncClient>> byLoop, long t0, long interval, SyncMeter meter) {
    int total = byLoop.stream().mapToInt(List::size).sum();
    int index = 0;
    for (int loop = 0; loop < byLoop.size(); loop++) {
      List<SyncClient> clients = byLoop.get(loop);
      long[] firstDue = new long[clients.size()];
      for (int i = 0; i < clients.size(); i++) {
        firstDue[i] = t0 + interval * index++ / Math.max(total, 1);
      }
      driver.loop(loop).runOnContext(v -> {
        for (int i = 0; i < clients.size(); i++) {
          clients.get(i).start(firstDue[i]);
        }
        if (interval > 0 && !clients.isEmpty()) {
          driver.vertx().setPeriodic(1, id -> {
            long now = System.nanoTime();
            if (!meter.sending(now)) {
              driver.vertx().cancelTimer(id);
              return;
            }
            clients.forEach(c -> c.tick(now));
          });
        }
      });
    }
  }

  /** A line a second until the window ends and every request is answered (or the drain times out). */
  private void progress(SyncMeter meter, long t0, long windowStart, long windowEnd) {
    long drainEnd = windowEnd + TimeUnit.SECONDS.toNanos(phases.drain);
    long second = TimeUnit.SECONDS.toNanos(1);
    long next = t0 + second;
    long lastAnswered = 0;
    long lastEntries = 0;
    while (true) {
      long now = System.nanoTime();
      if ((now >= windowEnd && meter.answered() >= meter.requests()) || now >= drainEnd) {
        if (meter.answered() < meter.requests()) {
          meter.problems.error((meter.requests() - meter.answered()) + " SYNC requests unanswered after the drain");
        }
        return;
      }
      if (now >= next) {
        long answered = meter.answered();
        long inFlight = meter.requests() - answered;
        long entries = meter.entries();
        String phase = now <= windowStart ? "warm-up" : now <= windowEnd ? "measure" : "drain";
        System.out.printf(Locale.ROOT, "[%4ds] %-7s sync %7d/s  entries %8d/s  p99 %s ms  in flight %d  errors %d%n",
            TimeUnit.NANOSECONDS.toSeconds(now - t0), phase, answered - lastAnswered, entries - lastEntries,
            Latency.millis(meter.latency.interval(), 99), inFlight, meter.errors());
        lastAnswered = answered;
        lastEntries = entries;
        next += second;
      }
      Timeline.sleepUntil(Math.min(next, now + TimeUnit.MILLISECONDS.toNanos(50)));
    }
  }

  private int catchUp(Driver driver) {
    long interval = Math.max(1, Math.round(1e9 * pairs / chatRate));
    CatchUp catchUp = new CatchUp(driver, new CatchUp.Plan(rounds, warmupRounds, onlineMillis, offlineMillis, interval,
        limit, common.receivers(), "x".repeat(Math.max(size, 0))));
    Fleet fleet = new Fleet(driver, common, catchUp.problems);
    List<BenchConnection> connections = fleet.loginAll(fleet.users(2 * pairs, null), i -> i / 2,
        i -> i % 2 == 0 ? common.senders() : common.receivers(), common.loginBy(Accounts.LoginBy.AUTO), false);
    List<CatchUp.Pair> all = new ArrayList<>();
    List<Future<Void>> done = new ArrayList<>();
    System.out.printf("sync --reconnect: %d pairs, senders %.0f msg/s in all, receivers %d x (online %d ms, away %d ms),"
            + " SYNC pages of %d, %s -> %s%n", pairs, chatRate, rounds, onlineMillis, offlineMillis, limit,
        common.senders(), common.receivers());
    long t0 = System.nanoTime();
    for (int p = 0; p < pairs; p++) {
      CatchUp.Pair pair = catchUp.pair(p, connections.get(2 * p), connections.get(2 * p + 1), onlineMillis * p / pairs);
      all.add(pair);
      done.add(pair.start());
    }
    Future<Void> rounds = Future.join(done).mapEmpty();
    long deadline = t0 + TimeUnit.MILLISECONDS.toNanos((this.rounds + 2) * (onlineMillis + offlineMillis)) + TimeUnit.SECONDS.toNanos(60);
    long second = TimeUnit.SECONDS.toNanos(1);
    long next = t0 + second;
    long lastSent = 0;
    while (!rounds.isComplete() && System.nanoTime() < deadline) {
      long now = System.nanoTime();
      if (now >= next) {
        long sent = catchUp.sent();
        System.out.printf(Locale.ROOT, "[%4ds] reconnects %5d  sent %6d/s  acked %8d  catch-up p99 %s ms  errors %d%n",
            TimeUnit.NANOSECONDS.toSeconds(now - t0), catchUp.reconnects(), sent - lastSent, catchUp.acked(),
            Latency.millis(catchUp.latency().interval(), 99), catchUp.problems.errors());
        lastSent = sent;
        next += second;
      }
      Timeline.sleepUntil(Math.min(next, now + TimeUnit.MILLISECONDS.toNanos(50)));
    }
    if (!rounds.isComplete()) {
      catchUp.problems.error("the reconnect rounds did not finish in time");
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    Future.join(all.stream().map(CatchUp.Pair::stop).toList()).await();
    // drain: every message answered and every acked one seen by its receiver
    long drainEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(phases.drain);
    long[] outstanding;
    while (true) {
      outstanding = new long[2];
      for (CatchUp.Pair pair : all) {
        long[] o = pair.outstanding().await();
        outstanding[0] += o[0];
        outstanding[1] += o[1];
      }
      if ((outstanding[0] == 0 && outstanding[1] == 0) || System.nanoTime() >= drainEnd) {
        break;
      }
      Timeline.sleepUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100));
    }
    Future.join(all.stream().map(CatchUp.Pair::close).toList()).otherwiseEmpty().await();
    fleet.save();
    JsonObject settings = new JsonObject().put("pairs", pairs).put("rounds", this.rounds)
        .put("warmupRounds", warmupRounds).put("onlineMillis", onlineMillis).put("offlineMillis", offlineMillis)
        .put("chatRate", chatRate).put("limit", limit).put("padBytes", size)
        .put("senders", common.senders().toString()).put("receivers", common.receivers().toString());
    JsonObject figures = catchUp.figures(outstanding[1], outstanding[0]).put("seconds", Math.round(seconds * 10) / 10.0);
    Report.emit(new JsonObject().put("scenario", "sync-reconnect").put("settings", settings).put("figures", figures),
        common.out("sync-reconnect"));
    return 0;
  }
}
