package chat.store;

/** An offline message: the exact JSON text to deliver, and its queue position. */
public record StoredMessage(long id, String body) {
}
