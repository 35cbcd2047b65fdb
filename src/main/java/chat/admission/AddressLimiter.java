package chat.admission;

import chat.config.Limits;
import chat.config.Network;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per client address, node-wide: connection attempts and failed logins per minute (fixed
 * one-minute windows); logins still being checked count as failed until they end, so guesses sent
 * in parallel meet the limit before any password hash is done. Addresses in the exempt networks
 * are never limited. Shared by every event loop of the node, hence the concurrent map;
 * {@link #forgetIdle} keeps it small.
 */
public final class AddressLimiter {
  private static final long WINDOW_MILLIS = 60_000;

  /** {@code loginsInFlight} is carried over into the next window: those logins end there. */
  private record Window(long start, int connections, int failedLogins, int loginsInFlight) {
  }

  private final Limits limits;
  private final LongSupplier clock;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  public AddressLimiter(Limits limits) {
    this(limits, System::currentTimeMillis);
  }

  /** {@code clock} gives the time in milliseconds (tests move it by hand). */
  AddressLimiter(Limits limits, LongSupplier clock) {
    this.limits = limits;
    this.clock = clock;
  }

  /** Counts a connection attempt; false when the address made too many this minute. */
  public boolean connectionAllowed(String address) {
    if (exempt(address)) {
      return true;
    }
    Window w = windows.compute(address, (a, old) -> {
      Window cur = current(old);
      return new Window(cur.start, cur.connections + 1, cur.failedLogins, cur.loginsInFlight);
    });
    return w.connections <= limits.connectionsPerMinute();
  }

  /**
   * Starts a login from the address: false, and nothing counted, when its failed logins this
   * minute and its logins in flight reach the limit. Every started login ends with
   * {@link #loginEnded}, a failed one after {@link #loginFailed}.
   */
  public boolean loginStarted(String address) {
    if (exempt(address)) {
      return true;
    }
    boolean[] started = new boolean[1];
    windows.compute(address, (a, old) -> {
      Window cur = current(old);
      if (cur.failedLogins + cur.loginsInFlight >= limits.failedLoginsPerMinute()) {
        return cur;
      }
      started[0] = true;
      return new Window(cur.start, cur.connections, cur.failedLogins, cur.loginsInFlight + 1);
    });
    return started[0];
  }

  public void loginFailed(String address) {
    if (!exempt(address)) {
      windows.compute(address, (a, old) -> {
        Window cur = current(old);
        return new Window(cur.start, cur.connections, cur.failedLogins + 1, cur.loginsInFlight);
      });
    }
  }

  public void loginEnded(String address) {
    if (!exempt(address)) {
      windows.computeIfPresent(address, (a, w) ->
          new Window(w.start, w.connections, w.failedLogins, Math.max(0, w.loginsInFlight - 1)));
    }
  }

  /** Drops windows that have run out with no login in flight; called every minute. */
  public void forgetIdle() {
    long now = clock.getAsLong();
    windows.entrySet().removeIf(e -> now - e.getValue().start >= WINDOW_MILLIS && e.getValue().loginsInFlight == 0);
  }

  /** How many addresses are being counted. */
  int tracked() {
    return windows.size();
  }

  private Window current(Window old) {
    long now = clock.getAsLong();
    if (old == null) {
      return new Window(now, 0, 0, 0);
    }
    return now - old.start >= WINDOW_MILLIS ? new Window(now, 0, 0, old.loginsInFlight) : old;
  }

  /** Whether the address is in an exempt network: never limited. */
  boolean exempt(String address) {
    if (limits.exemptNetworks().isEmpty()) {
      return false;
    }
    try {
      // a literal address: no lookup happens
      InetAddress a = InetAddress.getByName(address);
      for (Network n : limits.exemptNetworks()) {
        if (n.contains(a)) {
          return true;
        }
      }
      return false;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
