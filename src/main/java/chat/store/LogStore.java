package chat.store;

import io.vertx.core.Future;

import java.util.List;
import java.util.function.LongFunction;

/**
 * The conversations' ordered logs and each user's place in them. A message is appended with the
 * next number of its conversation ({@code cseq}: 1, 2, 3, … no gaps, in commit order) and is never
 * removed; a user's cursors say how far their sessions have been pushed ({@code delivered}) and how
 * far they have read.
 */
public interface LogStore {
  /** One message to append; {@code body} makes its JSON text once its cseq is known. */
  record Append(ConvId conv, long senderId, String cmid, long mid, long ts, LongFunction<String> body) {
  }

  /** A message of a log: its forwarded JSON text and where it stands. */
  record Entry(String conv, long cseq, long mid, long senderId, long ts, String body) {
  }

  /** What an append became: a new entry, or the earlier entry of the same sender and cmid. */
  record Appended(Entry entry, boolean duplicate) {
  }

  /** How far a user's sessions were pushed in a conversation (cursors only move forward). */
  record Cursor(long userId, String conv, long delivered, long read) {
  }

  /**
   * A conversation of a user, for their list: the newest first. {@code peerRead}: how far the other
   * user of a one-to-one conversation has read (null for a group, or before they have a cursor).
   */
  record Summary(ConvId conv, long last, long read, Entry lastMessage, String title, Long peerRead) {
  }

  /**
   * Appends the batch in one transaction, in order (a conversation's messages get consecutive
   * numbers in the order given). A message whose sender already appended one with the same cmid is
   * not appended again: its result is that first entry, marked duplicate. One-to-one conversations
   * are made on their first message. Fails as a whole.
   */
  Future<List<Appended>> append(List<Append> batch);

  /** Up to {@code limit} entries after {@code cseq}, ascending. */
  Future<List<Entry>> after(String conv, long cseq, int limit);

  /** Up to {@code limit} entries before {@code cseq} (the newest of them), ascending. */
  Future<List<Entry>> before(String conv, long cseq, int limit);

  /** The conversation's newest cseq: 0 when nothing was written yet. */
  Future<Long> last(String conv);

  /** How far the user's sessions were pushed in the conversation; -1 when they have no cursor there. */
  Future<Long> delivered(long userId, String conv);

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
}
