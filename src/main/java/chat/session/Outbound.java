package chat.session;

import chat.cluster.Relayed;
import chat.protocol.Messages;
import chat.store.LogStore;
import io.vertx.core.buffer.Buffer;

/**
 * A push ready to go: its JSON text and the line a socket gets, built once for every recipient.
 * Either a log entry (conversation and cseq set: sessions keep each conversation in order) or a
 * signal such as a receipt (no cseq; only sessions that asked for {@code cap} get it). An edit or
 * recall entry names {@link #EDITS} as its cap: every session takes its place in the conversation,
 * only those that asked for it are written it. Legacy sessions get the classic shape of an entry,
 * made only when one of them is among the recipients, and no recalled message. A notice that the
 * block lists of its sender changed ({@link #blocksChanged}), or that a user's cursors are wanted
 * ({@link #cursorsWanted}), is a signal too, never written, taken by every session. Shared by every event loop, never changed.
 */
public final class Outbound {
  /** The cap of sessions that are written edit and recall entries (CHANGED). */
  public static final String EDITS = "edits";
  /** Not a cap a client can ask for: marks the notice that block lists changed. */
  private static final String BLOCKS = "blocks";
  /** Not a cap a client can ask for: marks the notice that a user's cursors are wanted in the store. */
  private static final String CURSORS = "cursors";

  private final Relayed relayed;
  /** Epoch millis the entry was written at, when it was read back from its log (0: a live push). */
  private final long writtenAt;
  private final Buffer line;
  /** A message read back recalled: it has no text, and the classic shape cannot say so. */
  private final boolean recalled;
  private volatile Buffer legacyLine;

  private Outbound(Relayed relayed, boolean recalled) {
    this(relayed, recalled, 0);
  }

  private Outbound(Relayed relayed, boolean recalled, long writtenAt) {
    this.relayed = relayed;
    this.writtenAt = writtenAt;
    this.line = Messages.line(relayed.json());
    this.recalled = recalled;
  }

  /** An entry of a conversation's log, read back from it. */
  public static Outbound entry(LogStore.Entry entry) {
    return new Outbound(relayedOf(entry, null), entry.kind() == LogStore.Kind.RECALLED, entry.ts());
  }

  /** An entry just appended, sent from session {@code origin} (which only takes its place in the conversation). */
  public static Outbound sent(LogStore.Entry entry, String origin) {
    return new Outbound(relayedOf(entry, origin), entry.kind() == LogStore.Kind.RECALLED);
  }

  private static Relayed relayedOf(LogStore.Entry entry, String origin) {
    return new Relayed(entry.conv(), entry.cseq(), entry.senderId(), origin, entry.kind().isChange() ? EDITS : null,
        entry.body());
  }

  /**
   * Who {@code blocker} blocks changed: the sessions of both users read their lists again, and
   * take this once those are in place.
   */
  public static Outbound blocksChanged(long blocker) {
    return new Outbound(new Relayed(null, 0, blocker, null, BLOCKS, "{}"), false);
  }

  /**
   * Another session of {@code user} is logging in: each of the user's sessions writes how far it was
   * pushed, and takes this once that is in the store, so the new login is not owed what they got.
   */
  public static Outbound cursorsWanted(long user) {
    return new Outbound(new Relayed(null, 0, user, null, CURSORS, "{}"), false);
  }

  /** A push that is not kept (a receipt, typing), for the sessions that asked for {@code cap}. */
  public static Outbound signal(String cap, long sender, String origin, String json) {
    return new Outbound(new Relayed(null, 0, sender, origin, cap, json), false);
  }

  /** A push relayed by another node (a live entry: never recalled yet). */
  public static Outbound relayed(Relayed relayed) {
    return new Outbound(relayed, false);
  }

  /** Whether it is an entry of a conversation's log (else a signal). */
  boolean isEntry() {
    return relayed.conv() != null;
  }

  boolean isBlocksNotice() {
    return !isEntry() && BLOCKS.equals(relayed.cap());
  }

  boolean isCursorsNotice() {
    return !isEntry() && CURSORS.equals(relayed.cap());
  }

  /**
   * Whether an entry is written to a session that is {@code legacy}, or asked for {@code edits}
   * (otherwise it only takes its place).
   */
  boolean shownTo(boolean legacy, boolean edits) {
    if (EDITS.equals(relayed.cap())) {
      return edits && !legacy;
    }
    return !(recalled && legacy);
  }

  /** What other nodes get. */
  public Relayed relayed() {
    return relayed;
  }

  public String conv() {
    return relayed.conv();
  }

  /** When a log entry read back was written (epoch millis); 0 for a live push. */
  long writtenAt() {
    return writtenAt;
  }

  public long cseq() {
    return relayed.cseq();
  }

  public long sender() {
    return relayed.sender();
  }

  /** The session that sent it (it only takes its place), or null. */
  public String origin() {
    return relayed.origin();
  }

  /** The capability a session needs to be written this push, or null (a message: everyone gets it). */
  public String cap() {
    return relayed.cap();
  }

  /** The NDJSON line for a session: the classic shape for a legacy one. */
  public Buffer line(boolean legacy) {
    if (!legacy) {
      return line;
    }
    Buffer classic = legacyLine;
    if (classic == null) {
      classic = Messages.encode(Messages.legacy(Messages.parseObject(relayed.json())));
      legacyLine = classic;
    }
    return classic;
  }
}
