package chat.admission;

import chat.config.ChatConfig;
import chat.config.Limits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-address windows trip at the limit and recover when the minute is over (a hand-moved clock). */
class AddressLimiterTest {
  private final AtomicLong now = new AtomicLong(1_000_000);

  private AddressLimiter limiter(JsonObject limits) {
    Limits l = ChatConfig.from(new JsonObject().put("limits", limits), Map.of()).limits();
    return new AddressLimiter(l, now::get);
  }

  @Test
  void connectionsTripAndRecoverAfterTheMinute() {
    AddressLimiter limiter = limiter(new JsonObject().put("connectionsPerMinute", 2).put("exemptNetworks", new JsonArray()));
    assertTrue(limiter.connectionAllowed("203.0.113.7"));
    assertTrue(limiter.connectionAllowed("203.0.113.7"));
    assertFalse(limiter.connectionAllowed("203.0.113.7"));
    assertTrue(limiter.connectionAllowed("203.0.113.8"), "another address is not affected");
    now.addAndGet(59_999);
    assertFalse(limiter.connectionAllowed("203.0.113.7"));
    now.addAndGet(1);
    assertTrue(limiter.connectionAllowed("203.0.113.7"), "a new minute");
  }

  @Test
  void failedLoginsTripAndRecoverAfterTheMinute() {
    AddressLimiter limiter = limiter(new JsonObject().put("failedLoginsPerMinute", 2).put("exemptNetworks", new JsonArray()));
    for (int i = 0; i < 2; i++) {
      assertTrue(limiter.loginStarted("2001:db8::1"));
      limiter.loginFailed("2001:db8::1");
      limiter.loginEnded("2001:db8::1");
    }
    assertFalse(limiter.loginStarted("2001:db8::1"));
    assertTrue(limiter.loginStarted("2001:db8::2"));
    now.addAndGet(60_000);
    assertTrue(limiter.loginStarted("2001:db8::1"));
  }

  @Test
  void loginsInFlightCountAgainstTheLimitUntilTheyEnd() {
    AddressLimiter limiter = limiter(new JsonObject().put("failedLoginsPerMinute", 3).put("exemptNetworks", new JsonArray()));
    String a = "198.51.100.9";
    for (int i = 0; i < 3; i++) {
      assertTrue(limiter.loginStarted(a));
    }
    assertFalse(limiter.loginStarted(a), "three guesses are being checked");
    limiter.loginFailed(a);
    limiter.loginEnded(a);
    assertFalse(limiter.loginStarted(a), "one failed, two still in flight");
    limiter.loginEnded(a);
    limiter.loginEnded(a);
    assertTrue(limiter.loginStarted(a), "two ended without failing: one failure and this one");
    assertTrue(limiter.loginStarted(a));
    assertFalse(limiter.loginStarted(a));

    now.addAndGet(60_000);
    assertTrue(limiter.loginStarted(a), "a new minute, two logins still in flight");
    assertFalse(limiter.loginStarted(a));
    limiter.forgetIdle();
    now.addAndGet(60_000);
    limiter.forgetIdle();
    assertEquals(1, limiter.tracked(), "a window with logins in flight is kept");
    for (int i = 0; i < 3; i++) {
      limiter.loginEnded(a);
    }
    limiter.forgetIdle();
    assertEquals(0, limiter.tracked());
  }

  @Test
  void exemptNetworksAreNeverLimited() {
    AddressLimiter limiter = limiter(new JsonObject().put("connectionsPerMinute", 1).put("failedLoginsPerMinute", 1)
        .put("exemptNetworks", new JsonArray().add("127.0.0.0/8").add("::1/128").add("10.1.0.0/16")));
    for (int i = 0; i < 10; i++) {
      assertTrue(limiter.connectionAllowed("127.0.0.1"));
      assertTrue(limiter.connectionAllowed("0:0:0:0:0:0:0:1"));
      assertTrue(limiter.connectionAllowed("10.1.200.3"));
      assertTrue(limiter.loginStarted("10.1.200.3"));
      limiter.loginFailed("10.1.200.3");
    }
    assertTrue(limiter.loginStarted("10.1.200.3"));
    assertTrue(limiter.connectionAllowed("10.2.0.1"));
    assertFalse(limiter.connectionAllowed("10.2.0.1"), "outside the /16");
    assertEquals(1, limiter.tracked(), "exempt addresses are not even counted");
  }

  @Test
  void finishedWindowsAreForgotten() {
    AddressLimiter limiter = limiter(new JsonObject().put("exemptNetworks", new JsonArray()));
    limiter.connectionAllowed("192.0.2.1");
    now.addAndGet(30_000);
    limiter.connectionAllowed("192.0.2.2");
    now.addAndGet(30_000);
    limiter.forgetIdle();
    assertEquals(1, limiter.tracked(), "only 192.0.2.2's window is still running");
    now.addAndGet(30_000);
    limiter.forgetIdle();
    assertEquals(0, limiter.tracked());
  }
}
