package chat.session;

import chat.cluster.Relayed;
import chat.protocol.Messages;
import chat.store.LogStore;
import io.vertx.core.buffer.Buffer;

/**
 * A push ready to go: its JSON text and the line a socket gets, built once for every recipient.
 * Either a log entry (conversation and cseq set: sessions keep each conversation in order) or a
 * signal such as a receipt (no cseq; only sessions that asked for {@code cap} get it). Legacy
 * sessions get the classic shape of an entry, made only when one of them is among the recipients.
 * Shared by every event loop, never changed.
 */
public final class Outbound {
  private final Relayed relayed;
  private final Buffer line;
  private volatile Buffer legacyLine;

  private Outbound(Relayed relayed) {
    this.relayed = relayed;
    this.line = Messages.line(relayed.json());
  }

  /** A message of a conversation's log, read back from it. */
  public static Outbound entry(LogStore.Entry entry) {
    return sent(entry, null);
  }

  /** A message just appended, sent from session {@code origin} (which only takes its place in the conversation). */
  public static Outbound sent(LogStore.Entry entry, String origin) {
    return new Outbound(new Relayed(entry.conv(), entry.cseq(), entry.senderId(), origin, null, entry.body()));
  }

  /** A push that is not kept (a receipt, typing), for the sessions that asked for {@code cap}. */
  public static Outbound signal(String cap, long sender, String origin, String json) {
    return new Outbound(new Relayed(null, 0, sender, origin, cap, json));
  }

  /** A push relayed by another node. */
  public static Outbound relayed(Relayed relayed) {
    return new Outbound(relayed);
  }

  /** What other nodes get. */
  public Relayed relayed() {
    return relayed;
  }

  public String conv() {
    return relayed.conv();
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

  /** The capability a session needs for this push, or null (a log entry: everyone gets it). */
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
