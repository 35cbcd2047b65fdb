package chat.admission;

import chat.config.AdmissionConfig;
import chat.protocol.ErrorCode;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The expensive requests a node runs at once, per lane ({@link Lane}) and per client address: a
 * request beyond a bound is refused at once with a retry hint (503 when the node is busy, 107
 * when its address has too many under way), so a storm of logins or queries never queues up in
 * front of chat, which takes no lane. Shared by every event loop of the node.
 */
public final class Admission {
  /** What a request costs the node; chat and the rest take no lane. */
  public enum Lane { LOGIN, QUERY }

  /** How long a client refused because the node is busy should wait, at least, before it tries again. */
  static final int BUSY_RETRY_MILLIS = 250;
  /** The same, for a client whose address has too many requests under way. */
  static final int ADDRESS_RETRY_MILLIS = 1000;

  /** A place to run one request ({@link #release} it once the request ends), or a refusal. */
  public record Ticket(ErrorCode refusal, String reason, int retryMillis, Runnable release) {
    public boolean admitted() {
      return refusal == null;
    }
  }

  private static final Ticket NO_LANE = new Ticket(null, null, 0, () -> { });

  private final AdmissionConfig config;
  private final AddressLimiter addresses;
  private final AtomicInteger logins = new AtomicInteger();
  private final AtomicInteger queries = new AtomicInteger();
  private final Map<String, AtomicInteger> byAddress = new ConcurrentHashMap<>();

  public Admission(AdmissionConfig config, AddressLimiter addresses) {
    this.config = config;
    this.addresses = addresses;
  }

  /** Takes a place in the lane (none: admitted at once) for a request from {@code address}. */
  public Ticket enter(Lane lane, String address) {
    if (lane == null) {
      return NO_LANE;
    }
    AtomicInteger inLane = lane == Lane.LOGIN ? logins : queries;
    int bound = lane == Lane.LOGIN ? config.loginsInFlight() : config.queriesInFlight();
    if (inLane.incrementAndGet() > bound) {
      inLane.decrementAndGet();
      return new Ticket(ErrorCode.UNAVAILABLE, "this node is busy: retry in " + BUSY_RETRY_MILLIS + " ms",
          BUSY_RETRY_MILLIS, null);
    }
    if (addresses.exempt(address)) {
      return new Ticket(null, null, 0, inLane::decrementAndGet);
    }
    AtomicInteger mine = byAddress.computeIfAbsent(address, a -> new AtomicInteger());
    if (mine.incrementAndGet() > config.perAddressInFlight()) {
      leave(address, mine);
      inLane.decrementAndGet();
      return new Ticket(ErrorCode.RATE_LIMITED, "too many requests from your address at once: retry in "
          + ADDRESS_RETRY_MILLIS + " ms", ADDRESS_RETRY_MILLIS, null);
    }
    return new Ticket(null, null, 0, () -> {
      leave(address, mine);
      inLane.decrementAndGet();
    });
  }

  private void leave(String address, AtomicInteger mine) {
    if (mine.decrementAndGet() == 0) {
      // an idle address costs no memory; one that comes back gets a new counter
      byAddress.remove(address, mine);
    }
  }

  /** Requests under way in a lane (for metrics). */
  public int inFlight(Lane lane) {
    return (lane == Lane.LOGIN ? logins : queries).get();
  }
}
