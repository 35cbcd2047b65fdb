package chat.cluster;

/**
 * A push as it travels between nodes: its JSON text, and what the receiving sessions need without
 * parsing it. A log entry has its conversation and number (sessions keep each conversation in
 * order); any other push (a receipt, typing) has no number and names the capability a session
 * must have asked for to get it. An entry that names a capability too (an edit or recall) takes its
 * place in every session and is written to those that asked for it. {@code origin} is the session
 * that sent a message (its other sessions get it, that one does not), or null.
 */
public record Relayed(String conv, long cseq, long sender, String origin, String cap, String json) {
}
