package chat.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code login}: rounds of N concurrent logins by password or by token. Each round first opens N
 * connections, then sends the N LOGINs (the figure is the logins, not the TCP handshakes), then
 * closes everything and lets the server release the sessions before the next round. With
 * {@code --conversations C}, set-up first puts every user in C one-to-one conversations
 * ({@link ConversationRing}), so the logins measured are those of users with that much history.
 */
@Command(name = "login", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Concurrent logins by password or token; reports logins per second and login latency.")
final class LoginCommand implements Callable<Integer> {
  private static final long SETTLE_MILLIS = 1000;

  @Mixin
  Common common;

  @Option(names = {"-n", "--count"}, defaultValue = "1000", description = "users logging in per round (default ${DEFAULT-VALUE})")
  int count;

  @Option(names = "--by", defaultValue = "TOKEN", description = "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
  Accounts.LoginBy by;

  @Option(names = "--concurrency", description = "logins in flight at once (default: all N)")
  Integer concurrency;

  @Option(names = "--rounds", defaultValue = "3", description = "measured rounds (default ${DEFAULT-VALUE})")
  int rounds;

  @Option(names = "--warmup-rounds", defaultValue = "1", description = "rounds run first and not counted (default ${DEFAULT-VALUE})")
  int warmupRounds;

  @Option(names = "--conversations", paramLabel = "C", defaultValue = "0", description = "set-up (not measured): each "
      + "user writes one message to each of the C/2 users after it in a ring, all online, so every user is in at least C "
      + "one-to-one conversations (C+1 for an odd C) and is owed nothing at the measured logins. The messages carry fixed "
      + "cmids: run again with the same users file and -n, the server appends nothing new; with another -n the ring "
      + "differs and users may end up in more conversations than C. Needs a v2 server (CHAT_ACK, cmid) "
      + "(default ${DEFAULT-VALUE})")
  int conversations;

  @Override
  public Integer call() {
    Accounts.LoginBy how = common.loginBy(by);
    ConversationRing ring;
    try {
      ring = new ConversationRing(count, conversations);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(common.scenario.commandLine(), e.getMessage());
    }
    Meter meter = new Meter();
    try (Driver driver = common.driver()) {
      Fleet fleet = new Fleet(driver, common, meter);
      List<BenchUser> users = fleet.users(count, null);
      JsonObject setUp = new JsonObject().put("messages", 0);
      if (conversations > 0) {
        setUp = ring.ensure(driver, fleet, common, users);
        Timeline.sleepUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS));
      }
      if (how == Accounts.LoginBy.TOKEN && users.stream().anyMatch(u -> u.token() == null)) {
        System.out.println("getting tokens: one password login for users that have none");
        Throttle.Outcome<BenchConnection> first = fleet.login(users.stream().filter(u -> u.token() == null).toList(),
            i -> i, i -> common.senders(), Accounts.LoginBy.PASSWORD, false);
        Fleet.closeAll(first.results());
        if (first.failed() > 0) {
          throw new IllegalStateException(first.failed() + " password logins failed, first: " + first.firstFailure());
        }
        Timeline.sleepUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS));
      }
      Latency latency = new Latency();
      LongAdder failures = new LongAdder();
      LongAdder retries = new LongAdder();
      LongAdder offline = new LongAdder();
      JsonArray perRound = new JsonArray();
      long ok = 0;
      double seconds = 0;
      for (int round = 0; round < warmupRounds + rounds; round++) {
        boolean measured = round >= warmupRounds;
        Throttle.Outcome<BenchConnection> connected = Throttle.run(count, common.connectConcurrency,
            i -> driver.connect(i, common.senders(), meter)).await();
        List<BenchConnection> connections = connected.results();
        long start = System.nanoTime();
        Throttle.Outcome<BenchConnection> done = Throttle.run(count, concurrency != null ? concurrency : count,
            i -> connections.get(i) == null ? Future.failedFuture("not connected")
                : driver.on(i, () -> timed(driver, connections.get(i), users.get(i), how, measured ? latency : null,
                    measured ? offline : null, measured ? retries : new LongAdder()))).await();
        double took = (System.nanoTime() - start) / 1e9;
        int succeeded = count - done.failed();
        System.out.printf("round %d%s: %d logins in %.2f s = %.0f/s, %d failed%s%n", round + 1,
            measured ? "" : " (warm-up)", succeeded, took, succeeded / took, done.failed(),
            done.firstFailure() == null ? "" : " (first: " + done.firstFailure().getMessage() + ")");
        if (measured) {
          ok += succeeded;
          seconds += took;
          failures.add(done.failed());
          perRound.add(Math.round(succeeded / took));
        }
        Fleet.closeAll(connections);
        Timeline.sleepUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS));
      }
      fleet.save();
      JsonObject figures = new JsonObject()
          .put("loginsPerSecond", Math.round(ok / seconds))
          .put("perRound", perRound)
          .put("logins", ok)
          .put("failures", failures.sum())
          .put("retries", retries.sum())
          .put("offlineMessages", offline.sum())
          .put("errors", meter.errors())
          .put("latencyMicros", Latency.json(latency.total()));
      Report.emit(new JsonObject().put("scenario", "login")
          .put("settings", new JsonObject().put("server", common.senders().toString()).put("count", count)
              .put("by", how.name()).put("legacy", common.legacy)
              .put("concurrency", concurrency != null ? concurrency : count)
              .put("rounds", rounds).put("warmupRounds", warmupRounds).put("conversations", conversations))
          .put("setUp", setUp)
          .put("figures", figures), common.out("login-" + how.name().toLowerCase()));
      return 0;
    }
  }

  /**
   * One login (tried again after the server's hint when its admission control turns it away: each
   * retry counted), its latency recorded (when measured), and the entries of its reply's
   * {@code offlinemsg} counted (a legacy session's that do not fit 1024 bytes come later, uncounted).
   */
  private Future<BenchConnection> timed(Driver driver, BenchConnection c, BenchUser user, Accounts.LoginBy how,
                                        Latency latency, LongAdder offline, LongAdder retries) {
    long start = System.nanoTime();
    return Accounts.loginAdmitted(driver.vertx(), c, user, how, common.legacy, List.of(), retries, () -> true)
        .onSuccess(v -> {
          if (latency != null) {
            latency.record(System.nanoTime() - start);
          }
          ObjectNode ack = c.takeLoginAck();
          if (offline != null && ack != null) {
            offline.add(ack.path("offlinemsg").size());
          }
        });
  }
}
