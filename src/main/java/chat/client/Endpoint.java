package chat.client;

/** An address the client may connect to; {@code role} says what usually listens there, or is null. */
record Endpoint(String host, int port, String role) {
  /** {@code host:port}, followed by the role when there is one. */
  String described() {
    return host + ":" + port + (role == null ? "" : " (" + role + ")");
  }
}
