package chat.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Logins alongside the chat traffic: each worker connects, logs in, closes and starts again with
 * the next of its users (two each, so one is logging in while the server releases the other),
 * until the measurement window closes. Counts what completed inside the window.
 */
final class LoginStorm {
  private static final int USERS_PER_WORKER = 2;

  private final Driver driver;
  private final Endpoint endpoint;
  private final List<BenchUser> users;
  private final int workers;
  private final Accounts.LoginBy by;
  private final boolean legacy;
  private final Meter meter;
  private final Latency latency = new Latency();
  private final LongAdder logins = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final BenchConnection.Trouble quiet = new BenchConnection.Trouble() {
    @Override
    public void unexpected(BenchConnection connection, ObjectNode message) {
      failures.increment();
    }

    @Override
    public void closed(BenchConnection connection) {
      failures.increment();
    }
  };

  LoginStorm(Driver driver, Endpoint endpoint, List<BenchUser> users, int workers, Accounts.LoginBy by, boolean legacy,
             Meter meter) {
    this.driver = driver;
    this.endpoint = endpoint;
    this.users = users;
    this.workers = workers;
    this.by = by;
    this.legacy = legacy;
    this.meter = meter;
  }

  static int usersNeeded(int workers) {
    return workers * USERS_PER_WORKER;
  }

  void start() {
    for (int w = 0; w < workers; w++) {
      next(w, 0);
    }
  }

  private void next(int worker, int round) {
    long start = System.nanoTime();
    if (!meter.sending(start)) {
      return;
    }
    BenchUser user = users.get(worker * USERS_PER_WORKER + round % USERS_PER_WORKER);
    driver.connect(worker, endpoint, quiet)
        .compose(c -> Accounts.login(c, user, by, legacy).eventually(c::close))
        .onComplete(ar -> {
          long end = System.nanoTime();
          if (meter.inWindow(start) && meter.inWindow(end)) {
            if (ar.succeeded()) {
              logins.increment();
              latency.record(end - start);
            } else {
              failures.increment();
            }
          }
          next(worker, round + 1);
        });
  }

  JsonObject figures(double windowSeconds) {
    return new JsonObject()
        .put("workers", workers)
        .put("by", by.name())
        .put("legacy", legacy)
        .put("loginsPerSecond", Math.round(logins.sum() / windowSeconds))
        .put("logins", logins.sum())
        .put("failures", failures.sum())
        .put("latencyMicros", Latency.json(latency.total()));
  }
}
