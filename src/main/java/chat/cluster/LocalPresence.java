package chat.cluster;

import io.vertx.core.Future;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Presence of a single node: a concurrent map shared by all its event loops. */
public final class LocalPresence implements Presence {
  private final ConcurrentHashMap<Long, String> owners = new ConcurrentHashMap<>();

  @Override
  public Future<Boolean> claim(long userId, String owner) {
    return Future.succeededFuture(owners.putIfAbsent(userId, owner) == null);
  }

  @Override
  public Future<Void> release(long userId, String owner) {
    owners.remove(userId, owner);
    return Future.succeededFuture();
  }

  @Override
  public Future<Set<Long>> online(Collection<Long> userIds) {
    Set<Long> out = new HashSet<>();
    for (Long id : userIds) {
      if (owners.containsKey(id)) {
        out.add(id);
      }
    }
    return Future.succeededFuture(out);
  }
}
