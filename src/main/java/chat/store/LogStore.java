package chat.store;

import io.vertx.core.Future;
import io.vertx.core.VertxException;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * The conversations' ordered logs and each user's place in them. A message is written with the
 * next number of its conversation ({@code cseq}: 1, 2, 3, … no gaps, in commit order), numbered by
 * the node that appends it ({@link chat.log.Appender}); the store only guards the numbers and the
 * senders' cmids with its unique keys. Nothing is ever removed. A user's cursors say how far their
 * sessions have been pushed ({@code delivered}) and how far they have read.
 */
public interface LogStore {
  /**
   * What an entry of a log is. A message stays a message when it is edited (its text is the newest);
   * a recalled one has no text any more. Edit and recall entries change an earlier message (their
   * target): they are never unread, never a conversation's newest message, never in offlinemsg.
   */
  enum Kind {
    MESSAGE(0), RECALLED(1), EDIT(2), RECALL(3);

    /** As stored; messages, recalled or not, are the codes below {@link #EDIT}'s. */
    public final int code;

    Kind(int code) {
      this.code = code;
    }

    public boolean isChange() {
      return this == EDIT || this == RECALL;
    }

    public static Kind of(int code) {
      return values()[code];
    }
  }

  /**
   * What an edit or recall entry does to its target (a message of the same conversation), written
   * in the same transaction as the entry: an edit gives it {@code text} (the entry's time is when it
   * was edited), a recall takes its text away, and the text of the target's edit entries with it.
   */
  record Change(Kind kind, long target, String text) {
  }

  /**
   * One entry to append; {@code body} makes its JSON text once its cseq is known, {@code chars}
   * long at most without it; {@code recipients} are owed it until their sessions are pushed it;
   * {@code change} is null for a message.
   */
  record Append(ConvId conv, long senderId, String cmid, long mid, long ts, int chars, LongFunction<String> body,
                List<Long> recipients, Change change) {
    /** A message. */
    public Append(ConvId conv, long senderId, String cmid, long mid, long ts, int chars, LongFunction<String> body,
                  List<Long> recipients) {
      this(conv, senderId, cmid, mid, ts, chars, body, recipients, null);
    }

    public Kind kind() {
      return change == null ? Kind.MESSAGE : change.kind();
    }
  }

  /** An entry of a log: its forwarded JSON text (as it is served now), where it stands, what it is. */
  record Entry(String conv, long cseq, long mid, long senderId, long ts, String body, Kind kind) {
    /** A message. */
    public Entry(String conv, long cseq, long mid, long senderId, long ts, String body) {
      this(conv, cseq, mid, senderId, ts, body, Kind.MESSAGE);
    }
  }

  /** What an append became: a new entry, or the earlier entry of the same sender and cmid. */
  record Appended(Entry entry, boolean duplicate) {
  }

  /**
   * An entry about to be written, numbered, with its sender's cmid (or null), who is owed it, and
   * what it changes (or null).
   */
  record Numbered(Entry entry, String cmid, List<Long> recipients, Change change) {
    /** A message. */
    public Numbered(Entry entry, String cmid, List<Long> recipients) {
      this(entry, cmid, recipients, null);
    }
  }

  /** A sender's id for one of their messages. */
  record Cmid(long senderId, String cmid) {
  }

  /** How far a user's sessions were pushed in a conversation (cursors only move forward). */
  record Cursor(long userId, String conv, long delivered, long read) {
  }

  /**
   * A conversation of a user, for their list: the newest first. {@code unread}: the messages past
   * {@code read} (edit and recall entries do not count); {@code lastMessage}: the newest message (not
   * an edit or recall entry); {@code peerRead}: how far the other user of a one-to-one conversation
   * has read (null for a group, or before they have a cursor).
   */
  record Summary(ConvId conv, long last, long read, long unread, Entry lastMessage, String title, Long peerRead) {
  }

  /**
   * A write that found a number already taken (another node appended to the conversation) or a
   * cmid already used by its sender, or crossed another node's locks: nothing of it was written.
   */
  final class Conflict extends VertxException {
    public Conflict(Throwable cause) {
      super("a cseq or cmid is taken already", cause, true);
    }
  }

  /**
   * Gets these conversations ready to be appended to and answers each one's newest cseq (0 when
   * nothing was written yet): a one-to-one conversation gets its row and both users' cursors
   * (all of it owed to them) before its first message.
   */
  Future<Map<String, Long>> open(Collection<ConvId> convs);

  /**
   * Writes numbered messages at once, all or nothing, and sets the owing mark of their recipients in
   * the same commit (a login reads what is owed only for a marked user; a mark set for entries that
   * were not written costs one such read, nothing more). One round trip. Entries that change others
   * go through {@link #writeLocked}. Fails with {@link Conflict} when a number or a cmid is taken;
   * the caller refreshes what it knows and numbers again.
   */
  Future<Void> write(List<Numbered> entries);

  /**
   * What to write, given each conversation's newest cseq and the entries appended before with the
   * batch's cmids (by cmid).
   */
  interface Numbering {
    List<Numbered> number(Map<String, Long> lasts, Map<Cmid, Entry> earlier);
  }

  /**
   * Writes what {@code numbering} makes under these conversations' locks, so that no other node
   * appends to them meanwhile: for a batch that lost a race, slower but sure, and for one that holds
   * edits or recalls, whose changes to their targets commit with them. Completes with what was
   * written (an edit whose target was recalled meanwhile without its text); may still fail with
   * {@link Conflict} (two nodes' locks crossed: try again).
   */
  Future<List<Numbered>> writeLocked(Collection<ConvId> convs, Collection<Cmid> cmids, Numbering numbering);

  /** The entries these senders appended with these cmids before, by their cmid. */
  Future<Map<Cmid, Entry>> byCmid(Collection<Cmid> cmids);

  /** Up to {@code limit} entries after {@code cseq}, ascending. */
  Future<List<Entry>> after(String conv, long cseq, int limit);

  /** Up to {@code limit} entries before {@code cseq} (the newest of them), ascending. */
  Future<List<Entry>> before(String conv, long cseq, int limit);

  /** The conversation's newest cseq: 0 when nothing was written yet. */
  Future<Long> last(String conv);

  /**
   * The user's place in a conversation: how far their sessions were pushed ({@code delivered}, -1
   * when they have no cursor there) and the newest cseq when they joined it ({@code joined}, 0 for
   * a pair): nothing at or below that is theirs to be pushed.
   */
  record Place(long delivered, long joined) {
    public static final Place NONE = new Place(-1, 0);
  }

  /** The user's place in the conversation. */
  Future<Place> place(long userId, String conv);

  /** The cseq of the newest entry written before {@code ts} (epoch millis); 0 when there is none. */
  Future<Long> lastBefore(String conv, long ts);

  /** Moves the user's read cursor forward to {@code cseq} (never back); answers where it stands now. */
  Future<Long> read(long userId, String conv, long cseq);

  /** How many of these users' sessions were pushed the conversation up to {@code cseq} at least. */
  Future<Integer> reached(List<Long> userIds, String conv, long cseq);

  /** Moves cursors forward (never back); creates them when missing. */
  Future<Void> advance(List<Cursor> cursors);

  /**
   * The messages of the user's conversations past their delivered cursor, oldest first, their own
   * included (callers skip those): what no session of theirs was pushed yet.
   */
  Future<List<Entry>> owed(long userId, int limit);

  /** The user's conversations, the most recently active first. */
  Future<List<Summary>> conversations(long userId, int limit);

  /**
   * The session whose login took the user's owing mark as {@code holder} has written everything
   * owed: the mark goes, unless an append set it again since (then the next login reads what is
   * owed once more). A holder that never settles (its node died, its client left behind) leaves the
   * mark for the next login.
   */
  Future<Void> settle(long userId, String holder);
}
