package chat.service;

import chat.store.UserStore;
import io.vertx.core.Future;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which user ids exist, remembered: users are never deleted, so once seen an id needs no second
 * look, and a busy conversation costs no lookup per message. Ids not found are asked again (the
 * user may register meanwhile). Shared by every event loop; emptied when it grows too big.
 */
final class KnownUsers {
  private static final int MAX_REMEMBERED = 500_000;

  private final UserStore users;
  private final Set<Long> known = ConcurrentHashMap.newKeySet();

  KnownUsers(UserStore users) {
    this.users = users;
  }

  Future<Boolean> exists(long userId) {
    if (known.contains(userId)) {
      return Future.succeededFuture(true);
    }
    return users.find(userId).map(found -> {
      if (found.isPresent()) {
        if (known.size() >= MAX_REMEMBERED) {
          known.clear();
        }
        known.add(userId);
      }
      return found.isPresent();
    });
  }
}
