package chat.cluster;

import io.vertx.core.Future;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/** Presence of a single node: each user's sessions in a map shared by all its event loops. */
public final class LocalPresence implements Presence {
  private final ConcurrentHashMap<Long, Set<String>> sessions = new ConcurrentHashMap<>();
  @Override
  public Future<Claim> claim(long userId, String session, int max) {
    Claim[] result = {Claim.REFUSED};
    sessions.compute(userId, (id, held) -> {
      if (held == null) {
        result[0] = Claim.FIRST;
        return Set.of(session);
      }
      if (held.size() >= max) {
        return held;
      }
      result[0] = Claim.ANOTHER;
      Set<String> more = new HashSet<>(held);
      more.add(session);
      return Set.copyOf(more);
    });
    return Future.succeededFuture(result[0]);
  }

  @Override
  public Future<Boolean> release(long userId, String session) {
    boolean[] last = {false};
    sessions.computeIfPresent(userId, (id, held) -> {
      if (!held.contains(session)) {
        return held;
      }
      Set<String> rest = new HashSet<>(held);
      rest.remove(session);
      last[0] = rest.isEmpty();
      return rest.isEmpty() ? null : Set.copyOf(rest);
    });
    return Future.succeededFuture(last[0]);
  }

  @Override
  public Future<Set<Long>> online(Collection<Long> userIds) {
    Set<Long> out = new HashSet<>();
    for (Long id : userIds) {
      if (sessions.containsKey(id)) {
        out.add(id);
      }
    }
    return Future.succeededFuture(out);
  }

  @Override
  public void onGone(LongConsumer listener) {
    // a single node never outlives itself
  }
}
