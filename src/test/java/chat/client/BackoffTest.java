package chat.client;

import chat.protocol.Messages;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pauses before a login turned away for now is tried again, and what the person is told. */
class BackoffTest {

  private static ObjectNode refused(int errno, Integer retry) {
    ObjectNode ack = Messages.parseObject("{\"msgid\":2,\"errno\":" + errno + ",\"errmsg\":\"no\"}");
    return retry == null ? ack : ack.put("retry", retry);
  }

  private static List<Long> pauses(Backoff backoff, ObjectNode ack, int n) {
    List<Long> pauses = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      pauses.add(backoff.pauseAfter(ack));
    }
    return pauses;
  }

  @Test
  void onlyBusyAndRateLimitedAreTriedAgain() {
    assertTrue(Backoff.turnedAway(refused(503, 250)));
    assertTrue(Backoff.turnedAway(refused(107, 1000)));
    assertTrue(Backoff.turnedAway(refused(503, null)), "a 503 without a hint too");
    assertFalse(Backoff.turnedAway(refused(1, null)), "bad id or password");
    assertFalse(Backoff.turnedAway(refused(2, null)), "signed in elsewhere");
    assertFalse(Backoff.turnedAway(refused(0, null)));
  }

  @Test
  void theHintDoubledForEachRefusalInARowUpToTenSeconds() {
    assertEquals(List.of(250L, 500L, 1000L, 2000L, 4000L, 6667L, 6667L, -1L),
        pauses(new Backoff(7, () -> 0), refused(503, 250), 8), "no jitter: the grown hint, then give up");
    assertEquals(List.of(375L, 750L, 1500L, 3000L, 6000L, 10000L, 10000L),
        pauses(new Backoff(7, () -> 0.99999999), refused(503, 250), 7), "the most jitter: half again, at most 10 s");
    assertEquals(List.of(1000L, 2000L, 4000L), pauses(new Backoff(3, () -> 0), refused(503, null), 3),
        "no hint: a second");
    assertEquals(List.of(30_000L, 30_000L), pauses(new Backoff(2, () -> 0.5), refused(107, 30_000), 2),
        "never sooner than the server said");
  }

  @Test
  void theJitterSpreadsClientsTurnedAwayTogether() {
    long least = Long.MAX_VALUE;
    long most = 0;
    for (int i = 0; i < 200; i++) {
      long pause = new Backoff(1).pauseAfter(refused(503, 1000));
      least = Math.min(least, pause);
      most = Math.max(most, pause);
      assertTrue(pause >= 1000 && pause <= 1500, "the hint and up to half again: " + pause);
    }
    assertTrue(most > least, "not all the same: " + least + ".." + most);
  }

  @Test
  void thePersonIsToldWhyAndForHowLong() {
    assertEquals("the server is busy; trying again in 1.4 s...", Backoff.waiting(refused(503, 1000), 1380));
    assertEquals("too many requests from your address right now; trying again in 0.3 s...",
        Backoff.waiting(refused(107, 250), 312));
  }
}
