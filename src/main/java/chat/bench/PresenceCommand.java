package chat.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * {@code presence}: the chat load of {@code one} while a presence storm runs (issue 15: "5,000 users
 * with 50 friends each logging in within a few seconds must keep chat p99 under 20 ms"). Set-up
 * registers the storm's users (the first N of the users file; the chat pairs are the 2P after them)
 * and makes them friends in a ring ({@link FriendRing}). Then the pairs chat; {@code --storm-at}
 * seconds into the measurement window the storm users log in with {@code caps ["presence"]} over
 * {@code --storm-seconds}, stay {@code --storm-hold} seconds, and close over {@code --storm-seconds}
 * again ({@link PresenceStorm}). The chat latency is reported for the whole window, and apart for the
 * messages sent before the storm, during it (its first login to one second after its last close)
 * and after it.
 */
@Command(name = "presence", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Presence storm: one-to-one chat (as `one`) while N users with F friends each log in with "
        + "caps [\"presence\"] within a few seconds, stay, and leave; chat latency before, during and after the storm, "
        + "logins/s, PRESENCE pushes received and expected."})
final class PresenceCommand implements Callable<Integer> {
  /** The storm's slice of the chat latency lasts this long past the last close: the offline pushes it causes. */
  private static final long TAIL_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final double TARGET_P99_MILLIS = 20;

  @Mixin
  Common common;

  @Mixin
  Phases phases;

  @Mixin
  PairLoad chat;

  @Option(names = "--storm-users", defaultValue = "5000", description = "users in the storm (default ${DEFAULT-VALUE})")
  int stormUsers;

  @Option(names = "--friends", defaultValue = "50", description = "friends of each storm user, among the storm users (default ${DEFAULT-VALUE})")
  int friends;

  @Option(names = "--storm-seconds", defaultValue = "3", description = "the logins are spread over this many seconds, and so are the closes (default ${DEFAULT-VALUE})")
  double stormSeconds;

  @Option(names = "--storm-hold", defaultValue = "3", description = "seconds each storm user stays online after the last login is due (default ${DEFAULT-VALUE})")
  double stormHold;

  @Option(names = "--storm-at", defaultValue = "5", description = "seconds into the measurement window the storm starts (default ${DEFAULT-VALUE})")
  double stormAt;

  @Option(names = "--storm-host", description = "storm users' host (default: --host)")
  String stormHost;

  @Option(names = "--storm-port", split = ",", description = "storm users' port(s), e.g. 7401 or 7400,7401 (user i on the (i mod k)-th); default: --port")
  List<Integer> stormPorts = new ArrayList<>();

  @Option(names = "--storm-by", defaultValue = "AUTO", description = "how the storm logs in: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}: by token, set-up got one)")
  Accounts.LoginBy stormBy;

  @Option(names = "--settle", defaultValue = "5", description = "seconds to wait after set-up before the chat starts: set-up's "
      + "logins and closes keep the server busy for a while (default ${DEFAULT-VALUE})")
  double settle;

  @Option(names = "--friend-concurrency", defaultValue = "64", description = "set-up: ADD_FRIEND requests in flight (default ${DEFAULT-VALUE})")
  int friendConcurrency;

  @Override
  public Integer call() {
    long stormNanos = Math.round(stormSeconds * 1e9);
    long holdNanos = Math.round(stormHold * 1e9);
    long atNanos = Math.round(stormAt * 1e9);
    if (stormSeconds <= 0 || stormHold < 0 || stormAt < 0 || settle < 0) {
      throw new ParameterException(common.scenario.commandLine(),
          "--storm-seconds must be positive, --storm-hold, --storm-at and --settle not negative");
    }
    if (atNanos + 2 * stormNanos + holdNanos + TAIL_NANOS > TimeUnit.SECONDS.toNanos(phases.duration)) {
      throw new ParameterException(common.scenario.commandLine(), String.format(
          "the storm (--storm-at + 2 x --storm-seconds + --storm-hold + 1 s = %.1f s) must fit in --duration (%d s)",
          stormAt + 2 * stormSeconds + stormHold + 1, phases.duration));
    }
    if (common.legacy) {
      throw new ParameterException(common.scenario.commandLine(),
          "PRESENCE goes to sessions that ask for it (caps): drop --legacy");
    }
    FriendRing ring;
    try {
      ring = new FriendRing(stormUsers, friends);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(common.scenario.commandLine(), e.getMessage());
    }
    List<Endpoint> stormEndpoints = new ArrayList<>();
    for (int port : stormPorts) {
      stormEndpoints.add(new Endpoint(stormHost != null ? stormHost : common.host, port));
    }
    if (stormEndpoints.isEmpty()) {
      stormEndpoints.add(new Endpoint(stormHost != null ? stormHost : common.host, common.port));
    }
    IntFunction<Endpoint> stormEndpointOf = i -> stormEndpoints.get(i % stormEndpoints.size());

    Meter meter = new Meter();
    try (Driver driver = common.driver()) {
      Fleet fleet = new Fleet(driver, common, meter);
      List<BenchUser> users = fleet.users(stormUsers + chat.users(), null);
      List<BenchUser> stormers = users.subList(0, stormUsers);
      FriendRing.Setup setUp = ring.ensure(driver, fleet, stormers, stormEndpointOf, friendConcurrency);
      fleet.save();
      // let the server release the set-up sessions (and tell their friends) before the measurement
      System.out.printf("settling %.1f s...%n", settle);
      Timeline.sleepUntil(System.nanoTime() + Math.round(settle * 1e9));
      PairLoad.Pairs pairs = chat.connect(driver, fleet, common, users.subList(stormUsers, users.size()), meter, r -> {
      });
      PresenceStorm storm = new PresenceStorm(driver, stormers, setUp.friends(), stormEndpointOf,
          common.loginBy(stormBy), stormNanos, holdNanos);
      System.out.printf("presence: %s; storm of %d users with %d friends each on %s: logins over %.1f s from %.1f s into "
              + "the window, %.1f s online, closes over %.1f s%n", chat.describe(common), stormUsers, friends,
          stormEndpoints, stormSeconds, stormAt, stormHold, stormSeconds);
      long t0 = System.nanoTime();
      long windowStart = t0 + TimeUnit.SECONDS.toNanos(phases.warmup);
      long stormStart = windowStart + atNanos;
      meter.window(windowStart, windowStart + TimeUnit.SECONDS.toNanos(phases.duration));
      meter.slice(stormStart, stormStart + storm.nanos() + TAIL_NANOS);
      pairs.load().start(t0, chat.traffic(), meter);
      storm.start(stormStart);
      Timeline.run(meter, t0, phases, storm::progress);
      Fleet.closeAll(pairs.connections());
      storm.closeAll();
      fleet.save();

      JsonArray ports = new JsonArray();
      stormEndpoints.forEach(e -> ports.add(e.toString()));
      JsonObject settings = chat.settings(common).put("warmupSeconds", phases.warmup)
          .put("durationSeconds", phases.duration).put("stormUsers", stormUsers).put("friends", friends)
          .put("stormSeconds", stormSeconds).put("stormHold", stormHold).put("stormAt", stormAt)
          .put("stormServers", ports).put("stormBy", common.loginBy(stormBy).name()).put("settleSeconds", settle);
      JsonObject figures = meter.figures(phases.duration)
          .put("beforeStormLatencyMicros", Latency.json(meter.beforeSlice.total()))
          .put("stormLatencyMicros", Latency.json(meter.inSlice.total()))
          .put("afterStormLatencyMicros", Latency.json(meter.afterSlice.total()));
      JsonObject stormFigures = storm.figures();
      long stormP99 = figures.getJsonObject("stormLatencyMicros").getLong("p99");
      JsonObject target = new JsonObject()
          .put("chatP99DuringStormMillis", stormP99 / 1000.0)
          .put("limitMillis", TARGET_P99_MILLIS)
          .put("met", stormP99 < TARGET_P99_MILLIS * 1000 && figures.getLong("lost") == 0
              && stormFigures.getLong("failures") == 0);
      Report.emit(new JsonObject().put("scenario", "presence").put("settings", settings).put("setUp", setUp.figures())
          .put("figures", figures).put("storm", stormFigures).put("target", target), common.out("presence"));
      return 0;
    }
  }
}
