package chat.bench;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code idle}: opens C logged-in connections that then send nothing, holds them, and reports how
 * fast they came up and, given the server's pid, its resident memory per connection (VmRSS after
 * minus before, divided by C). Use several {@code --sources} beyond ~28k connections.
 */
@Command(name = "idle", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Holds C idle logged-in connections; reports set-up rate and server memory per connection.")
final class IdleCommand implements Callable<Integer> {
  private static final long SETTLE_MILLIS = 3000;

  @Mixin
  Common common;

  @Option(names = {"-n", "--count"}, defaultValue = "1000", description = "connections (default ${DEFAULT-VALUE})")
  int count;

  @Option(names = "--pid", description = "the server's process id, to read its VmRSS")
  Long pid;

  @Option(names = "--hold", defaultValue = "10", description = "seconds to hold the connections (default ${DEFAULT-VALUE}); keep it below the server's idle timeout")
  int hold;

  @Option(names = "--by", defaultValue = "AUTO", description = "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
  Accounts.LoginBy by;

  @Override
  public Integer call() {
    Accounts.LoginBy how = common.loginBy(by);
    Meter meter = new Meter();
    try (Driver driver = common.driver()) {
      Fleet fleet = new Fleet(driver, common, meter);
      List<BenchUser> users = fleet.users(count, null);
      long before = pid == null ? -1 : ServerMemory.residentKiB(pid);
      long start = System.nanoTime();
      Throttle.Outcome<BenchConnection> logins = fleet.login(users, i -> i, i -> common.senders(), how, common.legacy);
      double setup = (System.nanoTime() - start) / 1e9;
      int up = count - logins.failed();
      System.out.printf("idle: %d connections logged in in %.1f s (%d failed%s)%n", up, setup, logins.failed(),
          logins.firstFailure() == null ? "" : ", first: " + logins.firstFailure().getMessage());
      Timeline.sleepUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS));
      long after = pid == null ? -1 : ServerMemory.residentKiB(pid);
      for (int s = 1; s <= hold; s++) {
        Timeline.sleepUntil(System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
        long open = logins.results().stream().filter(c -> c != null && !c.isClosed()).count();
        System.out.printf("[%4ds] hold    open %d  server VmRSS %s KiB  errors %d%n", s, open,
            pid == null ? "?" : Long.toString(ServerMemory.residentKiB(pid)), meter.errors());
      }
      long stillOpen = logins.results().stream().filter(c -> c != null && !c.isClosed()).count();
      long end = pid == null ? -1 : ServerMemory.residentKiB(pid);
      Fleet.closeAll(logins.results());
      JsonObject figures = new JsonObject()
          .put("connected", up)
          .put("failed", logins.failed())
          .put("openAtEnd", stillOpen)
          .put("setupSeconds", Math.round(setup * 100) / 100.0)
          .put("loginsPerSecond", Math.round(up / setup))
          .put("errors", meter.errors());
      if (pid != null) {
        figures.put("serverRssBeforeKiB", before).put("serverRssAfterKiB", after).put("serverRssEndKiB", end)
            .put("serverBytesPerConnection", up == 0 ? 0 : Math.round((after - before) * 1024.0 / up));
      }
      Report.emit(new JsonObject().put("scenario", "idle")
          .put("settings", new JsonObject().put("server", common.senders().toString()).put("count", count)
              .put("sources", Common.expand(common.sources).size()).put("by", how.name()).put("holdSeconds", hold)
              .put("legacy", common.legacy))
          .put("figures", figures), common.out("idle"));
      return 0;
    }
  }
}
