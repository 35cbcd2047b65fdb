package chat.bench;

import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/**
 * Set-up, outside any measurement: makes sure enough users are registered (reusing the users
 * file), logs them in on connections placed on chosen loops and endpoints, and saves the tokens
 * the server returned for the next run. Blocks the calling (main) thread.
 */
final class Fleet {
  private static final int RETRIES = 60;
  private static final long RETRY_MILLIS = 500;

  private final Driver driver;
  private final Common common;
  private final BenchConnection.Trouble trouble;
  private final UserFile file;
  private final List<BenchUser> all;

  Fleet(Driver driver, Common common, BenchConnection.Trouble trouble) {
    this.driver = driver;
    this.common = common;
    this.trouble = trouble;
    this.file = new UserFile(common.users);
    this.all = file.load();
  }

  /** The first n users of the file, registering (and recording the latency of) any that are missing. */
  List<BenchUser> users(int n, Latency registration) {
    int missing = n - all.size();
    if (missing > 0) {
      System.out.printf("registering %d users (%d in %s)...%n", missing, all.size(), file);
      String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "-";
      Throttle.Outcome<BenchUser> outcome = Throttle.run(missing, common.registerConcurrency,
          i -> register(i, prefix + i, "pw-" + UUID.randomUUID(), registration)).await();
      all.addAll(outcome.succeeded());
      save();
      if (outcome.failed() > 0) {
        throw new IllegalStateException(outcome.failed() + " registrations failed, first: " + outcome.firstFailure());
      }
    }
    return new ArrayList<>(all.subList(0, n));
  }

  private Future<BenchUser> register(int i, String name, String password, Latency registration) {
    return driver.connect(i, common.senders(), trouble).compose(c -> {
      long start = System.nanoTime();
      return Accounts.register(c, name, password)
          .onSuccess(u -> {
            if (registration != null) {
              registration.record(System.nanoTime() - start);
            }
          })
          .eventually(c::close);
    });
  }

  /**
   * Logs every user in on its own connection; the outcome lists the connections in user order.
   * Password logins are as slow as registrations, so they get the registration concurrency.
   */
  Throttle.Outcome<BenchConnection> login(List<BenchUser> users, IntUnaryOperator loopOf,
                                          IntFunction<Endpoint> endpointOf, Accounts.LoginBy by, boolean legacy) {
    boolean hashing = by == Accounts.LoginBy.PASSWORD
        || (by == Accounts.LoginBy.AUTO && users.stream().anyMatch(u -> u.token() == null));
    Throttle.Outcome<BenchConnection> outcome = Throttle.run(users.size(),
        hashing ? common.registerConcurrency : common.connectConcurrency,
        i -> driver.connect(loopOf.applyAsInt(i), endpointOf.apply(i), trouble)
            .compose(c -> loginRetrying(c, users.get(i), by, legacy, RETRIES)
                .recover(err -> c.close().transform(v -> Future.failedFuture(err))))).await();
    save();
    return outcome;
  }

  /** {@link #login}, every one of which must succeed; the connections in user order. */
  List<BenchConnection> loginAll(List<BenchUser> users, IntUnaryOperator loopOf, IntFunction<Endpoint> endpointOf,
                                 Accounts.LoginBy by, boolean legacy) {
    Throttle.Outcome<BenchConnection> logins = login(users, loopOf, endpointOf, by, legacy);
    if (logins.failed() > 0) {
      closeAll(logins.results());
      throw new IllegalStateException(logins.failed() + " logins failed, first: " + logins.firstFailure());
    }
    return logins.results();
  }

  /** How many users the file holds. */
  int known() {
    return all.size();
  }

  /**
   * Set-up is not measured: a login the server could not serve now (503, after its retry hint when
   * it gave one), or refused because it has not yet released the user's previous, closed, session
   * (errno 2), is simply tried again.
   */
  private Future<BenchConnection> loginRetrying(BenchConnection c, BenchUser user, Accounts.LoginBy by, boolean legacy,
                                                int retries) {
    return Accounts.login(c, user, by, legacy).recover(err -> retries > 0
        && (err instanceof Accounts.Unavailable || err instanceof Accounts.InUse || err instanceof Accounts.TryLater)
        ? driver.vertx().timer(err instanceof Accounts.TryLater later ? later.retryMillis : RETRY_MILLIS)
            .compose(v -> loginRetrying(c, user, by, legacy, retries - 1))
        : Future.failedFuture(err));
  }

  /** Writes the users file with the latest tokens. */
  void save() {
    file.save(all);
  }

  static void closeAll(List<BenchConnection> connections) {
    List<Future<Void>> closing = new ArrayList<>();
    for (BenchConnection c : connections) {
      if (c != null) {
        closing.add(c.close());
      }
    }
    Future.join(closing).otherwiseEmpty().await();
  }
}
