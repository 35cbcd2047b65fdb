package chat.security;

import chat.config.Limits;
import chat.config.Network;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per client address, node-wide: connection attempts and failed logins per minute (fixed
 * one-minute windows). Addresses in the exempt networks are never limited. Shared by every event
 * loop of the node, hence the concurrent map; {@link #forgetIdle} keeps it small.
 */
public final class AddressLimiter {
  private static final long WINDOW_MILLIS = 60_000;

  private record Window(long start, int connections, int failedLogins) {
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
      return new Window(cur.start, cur.connections + 1, cur.failedLogins);
    });
    return w.connections <= limits.connectionsPerMinute();
  }

  /** False while the address has failed too many logins this minute. */
  public boolean loginAllowed(String address) {
    if (exempt(address)) {
      return true;
    }
    Window w = windows.get(address);
    return w == null || current(w).failedLogins < limits.failedLoginsPerMinute();
  }

  public void loginFailed(String address) {
    if (!exempt(address)) {
      windows.compute(address, (a, old) -> {
        Window cur = current(old);
        return new Window(cur.start, cur.connections, cur.failedLogins + 1);
      });
    }
  }

  /** Drops windows that have run out; called every minute. */
  public void forgetIdle() {
    long now = clock.getAsLong();
    windows.entrySet().removeIf(e -> now - e.getValue().start >= WINDOW_MILLIS);
  }

  /** How many addresses are being counted. */
  int tracked() {
    return windows.size();
  }

  private Window current(Window old) {
    long now = clock.getAsLong();
    return old == null || now - old.start >= WINDOW_MILLIS ? new Window(now, 0, 0) : old;
  }

  private boolean exempt(String address) {
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
