package chat.bench;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code register}: registers N more users (appended to the users file) and times it. */
@Command(name = "register", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Registers N new users into the users file; reports registrations per second.")
final class RegisterCommand implements Callable<Integer> {
  @Mixin
  Common common;

  @Option(names = {"-n", "--count"}, defaultValue = "100", description = "users to register (default ${DEFAULT-VALUE})")
  int count;

  @Override
  public Integer call() {
    Meter meter = new Meter();
    try (Driver driver = common.driver()) {
      Fleet fleet = new Fleet(driver, common, meter);
      int before = fleet.known();
      Latency latency = new Latency();
      long start = System.nanoTime();
      fleet.users(before + count, latency);
      double seconds = (System.nanoTime() - start) / 1e9;
      JsonObject figures = new JsonObject()
          .put("registered", count)
          .put("seconds", Math.round(seconds * 100) / 100.0)
          .put("registrationsPerSecond", Math.round(count / seconds))
          .put("latencyMicros", Latency.json(latency.total()));
      Report.emit(new JsonObject().put("scenario", "register")
          .put("settings", new JsonObject().put("server", common.senders().toString())
              .put("concurrency", common.registerConcurrency).put("usersFile", common.users.toString()))
          .put("figures", figures), common.out("register"));
      return 0;
    }
  }
}
