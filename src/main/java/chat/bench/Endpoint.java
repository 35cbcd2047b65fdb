package chat.bench;

/** A server address: senders may use one and receivers another (the cross-node variant). */
record Endpoint(String host, int port) {
  @Override
  public String toString() {
    return host + ":" + port;
  }
}
