package chat.web;

import chat.testing.TestClient;
import chat.testing.V2;

/** Alice and Bob, each registered in a page of their own, and friends: Alice found Bob by name and added him. */
record PageFriends(long aliceId, long bobId, String bobName) {

  static PageFriends aliceAddsBob(ChatPage alice, ChatPage bob) {
    String bobName = TestClient.uniqueName("bob");
    long aliceId = alice.register(TestClient.uniqueName("alice"), "pw-alice");
    long bobId = bob.register(bobName, "pw-bob");
    alice.findAndAddFriend(bobName, bobId);
    return new PageFriends(aliceId, bobId, bobName);
  }

  /** Their one-to-one conversation's key. */
  String conv() {
    return V2.pair(aliceId, bobId);
  }
}
