package chat.testing;

/** Alice and Bob, each registered under a fresh name and logged in on a connection of their own, with their ids. */
public record TwoUsers(TestClient alice, long aliceId, TestClient bob, long bobId) {

  /**
   * Registers and logs in alice on the first connection, then bob on the second (passwords
   * {@code pw-alice} and {@code pw-bob}); closing the connections stays with whoever opened them.
   */
  public static TwoUsers loggedIn(TestClient alice, TestClient bob) {
    long aliceId = alice.registerAndLogin("alice");
    return new TwoUsers(alice, aliceId, bob, bob.registerAndLogin("bob"));
  }
}
