package chat.client;

/** A request that did not succeed; the message says why, in words a user understands. */
final class ClientException extends Exception {
  ClientException(String message) {
    super(message);
  }
}
