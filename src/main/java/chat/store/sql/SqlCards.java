package chat.store.sql;

import chat.store.BlockStore;
import chat.store.CardStore;
import chat.store.Group;
import chat.store.LogStore;
import chat.store.User;
import chat.store.UserCard;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The login card as one UNION ALL: each part tags its rows with a kind in the first column. A
 * statement per part cost a round trip each, and the store's round trips were what capped logins.
 * The card names the conversations that owe the user something; only when there are any are the
 * messages read, oldest first, in a second statement: sorting them took the database a temporary
 * table for every login, most of which owe nothing.
 */
final class SqlCards implements CardStore {
  private static final int OWNER = 0;
  private static final int FRIEND = 1;
  private static final int MEMBER = 2;
  private static final int OWING = 3;
  private static final int BLOCKED = 4;
  private static final int BLOCKER = 5;

  // columns: kind, a, b, c, d, e, f, g, h; a part fills what it has and leaves the rest NULL
  private static final String OWNER_ROW = "SELECT " + OWNER + ", u.id, u.name, NULL, NULL, NULL, NULL, NULL, NULL";
  private static final String OWNER_BY_TOKEN = OWNER_ROW + " FROM session_tokens t JOIN users u ON u.id = t.user_id"
      + " WHERE t.digest = ? AND t.user_id = ? AND t.expires_at > ?";
  private static final String OWNER_BY_ID = OWNER_ROW + " FROM users u WHERE u.id = ?";
  private static final String REST = " UNION ALL SELECT " + FRIEND + ", u.id, u.name, NULL, NULL, NULL, NULL, NULL, NULL"
      + " FROM friends f JOIN users u ON u.id = f.friend_id WHERE f.user_id = ?"
      + " UNION ALL SELECT " + MEMBER + ", g.id, g.name, g.description, u.id, u.name, m.role, NULL, NULL"
      + " FROM group_members mine"
      + " JOIN chat_groups g ON g.id = mine.group_id"
      + " JOIN group_members m ON m.group_id = g.id"
      + " JOIN users u ON u.id = m.user_id"
      + " WHERE mine.user_id = ?"
      // whom the user blocks, who blocks them
      + " UNION ALL SELECT " + BLOCKED + ", blocked_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL"
      + " FROM blocks WHERE user_id = ?"
      + " UNION ALL SELECT " + BLOCKER + ", user_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL"
      + " FROM blocks WHERE blocked_id = ?"
      // the conversations where no session of the user was pushed the newest message yet (see SqlLog)
      + " UNION ALL SELECT " + OWING + ", c.delivered, NULL, c.conv, NULL, NULL, NULL, NULL, NULL"
      + SqlLog.OWING_FROM;
  private static final String CARD_BY_TOKEN = OWNER_BY_TOKEN + REST;
  private static final String CARD_BY_ID = OWNER_BY_ID + REST;

  /** Creator first within a group, then by user id. */
  private static final Comparator<Row> MEMBER_ORDER = Comparator
      .comparingLong((Row r) -> r.getLong(1))
      .thenComparing(r -> Group.Member.CREATOR.equals(r.getString(6)) ? 0 : 1)
      .thenComparingLong(r -> r.getLong(4));

  private final GatedPool db;
  private final LogStore log;

  SqlCards(GatedPool db, LogStore log) {
    this.db = db;
    this.log = log;
  }

  @Override
  public Future<UserCard> card(long userId, String tokenDigest, long nowMillis, int offlineLimit) {
    return db.execute(CARD_BY_TOKEN, Tuple.of(tokenDigest, userId, nowMillis, userId, userId, userId, userId, userId))
        .compose(rows -> card(userId, rows, offlineLimit));
  }

  @Override
  public Future<UserCard> card(long userId, int offlineLimit) {
    return db.execute(CARD_BY_ID, Tuple.of(userId, userId, userId, userId, userId, userId))
        .compose(rows -> card(userId, rows, offlineLimit));
  }

  private Future<UserCard> card(long userId, RowSet<Row> rows, int offlineLimit) {
    Optional<User> owner = Optional.empty();
    List<User> friends = new ArrayList<>();
    List<Row> members = new ArrayList<>();
    boolean owing = false;
    Set<Long> blocked = new HashSet<>();
    Set<Long> blockers = new HashSet<>();
    for (Row row : rows) {
      switch (row.getInteger(0)) {
        case OWNER -> owner = Optional.of(new User(row.getLong(1), row.getString(2)));
        case FRIEND -> friends.add(new User(row.getLong(1), row.getString(2)));
        case MEMBER -> members.add(row);
        case OWING -> owing = true;
        case BLOCKED -> blocked.add(row.getLong(1));
        case BLOCKER -> blockers.add(row.getLong(1));
        default -> throw new IllegalStateException("unknown card row kind " + row.getValue(0));
      }
    }
    // a UNION promises no order, so each list is put in order here
    friends.sort(Comparator.comparingLong(User::id));
    members.sort(MEMBER_ORDER);
    Optional<User> user = owner;
    Future<List<LogStore.Entry>> owed = owing && user.isPresent()
        ? log.owed(userId, offlineLimit)
        : Future.succeededFuture(List.of());
    BlockStore.Lists blocks = new BlockStore.Lists(Set.copyOf(blocked), Set.copyOf(blockers));
    return owed.map(entries -> new UserCard(user, friends, groups(members), entries, blocks));
  }

  private static List<Group> groups(List<Row> members) {
    Map<Long, Group> groups = new LinkedHashMap<>();
    for (Row row : members) {
      Group group = groups.computeIfAbsent(row.getLong(1),
          id -> new Group(id, row.getString(2), row.getString(3), new ArrayList<>()));
      group.members().add(new Group.Member(new User(row.getLong(4), row.getString(5)), row.getString(6)));
    }
    return List.copyOf(groups.values());
  }
}
