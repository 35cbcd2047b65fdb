package chat.store.sql;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The login card as one UNION ALL: each part tags its rows with a kind in the first column. A
 * statement per part cost a round trip each, and the store's round trips were what capped logins.
 */
final class SqlCards implements CardStore {
  private static final int OWNER = 0;
  private static final int FRIEND = 1;
  private static final int MEMBER = 2;
  private static final int OWED = 3;

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
      // what no session of the user was pushed yet (see SqlLog)
      + " UNION ALL (SELECT " + OWED + ", m.cseq, m.body, m.conv, m.sender_id, NULL, NULL, m.ts, m.mid"
      + SqlLog.OWED_FROM + ")";
  private static final String CARD_BY_TOKEN = OWNER_BY_TOKEN + REST;
  private static final String CARD_BY_ID = OWNER_BY_ID + REST;

  /** As the owed messages are read: the oldest first. */
  private static final Comparator<LogStore.Entry> OLDEST_FIRST = Comparator.comparingLong(LogStore.Entry::ts)
      .thenComparing(LogStore.Entry::conv).thenComparingLong(LogStore.Entry::cseq);

  /** Creator first within a group, then by user id. */
  private static final Comparator<Row> MEMBER_ORDER = Comparator
      .comparingLong((Row r) -> r.getLong(1))
      .thenComparing(r -> Group.Member.CREATOR.equals(r.getString(6)) ? 0 : 1)
      .thenComparingLong(r -> r.getLong(4));

  private final GatedPool db;

  SqlCards(GatedPool db) {
    this.db = db;
  }

  @Override
  public Future<UserCard> card(long userId, String tokenDigest, long nowMillis, int offlineLimit) {
    return db.execute(CARD_BY_TOKEN, Tuple.of(tokenDigest, userId, nowMillis, userId, userId, userId, offlineLimit))
        .map(SqlCards::card);
  }

  @Override
  public Future<UserCard> card(long userId, int offlineLimit) {
    return db.execute(CARD_BY_ID, Tuple.of(userId, userId, userId, userId, offlineLimit))
        .map(SqlCards::card);
  }

  private static UserCard card(RowSet<Row> rows) {
    Optional<User> owner = Optional.empty();
    List<User> friends = new ArrayList<>();
    List<Row> members = new ArrayList<>();
    List<LogStore.Entry> owed = new ArrayList<>();
    for (Row row : rows) {
      switch (row.getInteger(0)) {
        case OWNER -> owner = Optional.of(new User(row.getLong(1), row.getString(2)));
        case FRIEND -> friends.add(new User(row.getLong(1), row.getString(2)));
        case MEMBER -> members.add(row);
        case OWED -> owed.add(new LogStore.Entry(row.getString(3), row.getLong(1), row.getLong(8), row.getLong(4),
            row.getLong(7), row.getString(2)));
        default -> throw new IllegalStateException("unknown card row kind " + row.getValue(0));
      }
    }
    // a UNION promises no order, so each list is put in order here
    friends.sort(Comparator.comparingLong(User::id));
    owed.sort(OLDEST_FIRST);
    members.sort(MEMBER_ORDER);
    return new UserCard(owner, friends, groups(members), owed);
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
