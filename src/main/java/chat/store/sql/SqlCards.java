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
 * Before it, on the same connection and in the same round trip, the login takes the user's owing
 * mark; only when there was one are the messages owed read, oldest first, in a second statement
 * (most logins owe nothing, and that read is a probe per conversation of the user).
 */
final class SqlCards implements CardStore {
  private static final int OWNER = 0;
  private static final int FRIEND = 1;
  private static final int MEMBER = 2;
  private static final int BLOCKED = 3;
  private static final int BLOCKER = 4;

  // columns: kind, a, b, c, d, e, f; a part fills what it has and leaves the rest NULL
  private static final String OWNER_ROW = "SELECT " + OWNER + ", u.id, u.name, NULL, NULL, NULL, NULL";
  private static final String OWNER_BY_TOKEN = OWNER_ROW + " FROM session_tokens t JOIN users u ON u.id = t.user_id"
      + " WHERE t.digest = ? AND t.user_id = ? AND t.expires_at > ?";
  private static final String OWNER_BY_ID = OWNER_ROW + " FROM users u WHERE u.id = ?";
  private static final String REST = " UNION ALL SELECT " + FRIEND + ", u.id, u.name, NULL, NULL, NULL, NULL"
      + " FROM friends f JOIN users u ON u.id = f.friend_id WHERE f.user_id = ?"
      + " UNION ALL SELECT " + MEMBER + ", g.id, g.name, g.description, u.id, u.name, m.role"
      + " FROM group_members mine"
      + " JOIN chat_groups g ON g.id = mine.group_id"
      + " JOIN group_members m ON m.group_id = g.id"
      + " JOIN users u ON u.id = m.user_id"
      + " WHERE mine.user_id = ?"
      // whom the user blocks, who blocks them
      + " UNION ALL SELECT " + BLOCKED + ", blocked_id, NULL, NULL, NULL, NULL, NULL FROM blocks WHERE user_id = ?"
      + " UNION ALL SELECT " + BLOCKER + ", user_id, NULL, NULL, NULL, NULL, NULL FROM blocks WHERE blocked_id = ?";
  private static final String CARD_BY_TOKEN = OWNER_BY_TOKEN + REST;
  private static final String CARD_BY_ID = OWNER_BY_ID + REST;
  /** Takes the mark for this login (parameters: holder, user id); a row changed: there was one. */
  private static final String TAKE_MARK = "UPDATE owing SET held_by = ? WHERE user_id = ?";

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
  public Future<UserCard> loginCard(long userId, String tokenDigest, long nowMillis, int offlineLimit, String holder) {
    return loginCard(userId, CARD_BY_TOKEN, Tuple.of(tokenDigest, userId, nowMillis, userId, userId, userId, userId),
        offlineLimit, holder);
  }

  @Override
  public Future<UserCard> loginCard(long userId, int offlineLimit, String holder) {
    return loginCard(userId, CARD_BY_ID, Tuple.of(userId, userId, userId, userId, userId), offlineLimit, holder);
  }

  @Override
  public Future<UserCard> card(long userId) {
    return db.execute(CARD_BY_ID, Tuple.of(userId, userId, userId, userId, userId))
        .map(rows -> card(rows, List.of(), false));
  }

  /**
   * The mark and the card sent together; the mark is taken even if the token turns out invalid
   * (harmless: a holder that never settles leaves the mark for the next login).
   */
  private Future<UserCard> loginCard(long userId, String cardSql, Tuple cardParams, int offlineLimit, String holder) {
    return db.withConnection(conn -> {
      Future<RowSet<Row>> mark = conn.preparedQuery(TAKE_MARK).execute(Tuple.of(holder, userId));
      Future<RowSet<Row>> rows = conn.preparedQuery(cardSql).execute(cardParams);
      return Future.all(mark, rows);
    }).compose(both -> {
      boolean marked = both.<RowSet<Row>>resultAt(0).rowCount() > 0;
      UserCard card = card(both.resultAt(1), List.of(), marked);
      if (!marked || card.user().isEmpty()) {
        return Future.succeededFuture(card);
      }
      return log.owed(userId, offlineLimit)
          .map(owed -> new UserCard(card.user(), card.friends(), card.groups(), owed, true, card.blocks()));
    });
  }

  private static UserCard card(RowSet<Row> rows, List<LogStore.Entry> owed, boolean marked) {
    Optional<User> owner = Optional.empty();
    List<User> friends = new ArrayList<>();
    List<Row> members = new ArrayList<>();
    Set<Long> blocked = new HashSet<>();
    Set<Long> blockers = new HashSet<>();
    for (Row row : rows) {
      switch (row.getInteger(0)) {
        case OWNER -> owner = Optional.of(new User(row.getLong(1), row.getString(2)));
        case FRIEND -> friends.add(new User(row.getLong(1), row.getString(2)));
        case MEMBER -> members.add(row);
        case BLOCKED -> blocked.add(row.getLong(1));
        case BLOCKER -> blockers.add(row.getLong(1));
        default -> throw new IllegalStateException("unknown card row kind " + row.getValue(0));
      }
    }
    // a UNION promises no order, so each list is put in order here
    friends.sort(Comparator.comparingLong(User::id));
    members.sort(MEMBER_ORDER);
    return new UserCard(owner, friends, groups(members), owed, marked,
        new BlockStore.Lists(Set.copyOf(blocked), Set.copyOf(blockers)));
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
