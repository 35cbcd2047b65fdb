package chat.client;

import chat.protocol.Messages;
import chat.protocol.MsgId;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.function.Consumer;

/**
 * The LOGIN requests the client sends (by id or by name, always with our {@link #CAPS}), and the
 * retry of a login that a busy node turned away for now (503, 107: admission control). Holds no
 * state of its own: it runs on the thread that logs in, each retry loop with its own {@link Backoff}.
 */
final class Logins {
  /** The pushes every login asks for: friends coming and going, and changes to our friends and groups. */
  static final List<String> CAPS = List.of("presence", "social", "edits");
  /** How often a password login turned away for now (503, 107) is tried again before the client gives up. */
  static final int LOGIN_RETRIES = 6;

  /** One try of a LOGIN: sends it and waits for its answer. */
  interface Attempt {
    ObjectNode answer() throws ClientException;
  }

  /** Waits {@code millis}; false when the login is to stop instead (the client is closing, or interrupted). */
  interface Pause {
    boolean pause(long millis);
  }

  private Logins() {
  }

  /** LOGIN as {@code user}, an id when it is all digits (and fits one), else a name, with our caps. */
  static ObjectNode request(String user) throws ClientException {
    if (!isUserId(user)) {
      ObjectNode request = Messages.object(MsgId.LOGIN).put("name", user);
      CAPS.forEach(request.putArray("caps")::add);
      return request;
    }
    try {
      return request(Long.parseLong(user));
    } catch (NumberFormatException e) {
      throw new ClientException("login failed: there is no userid " + user);
    }
  }

  /** LOGIN as {@code id} with our caps; the password or token is added by the caller. */
  static ObjectNode request(long id) {
    ObjectNode request = Messages.object(MsgId.LOGIN).put("id", id);
    CAPS.forEach(request.putArray("caps")::add);
    return request;
  }

  /** Whether what was typed to log in is a user id (all digits) rather than a name. */
  static boolean isUserId(String user) {
    return !user.isEmpty() && user.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  /**
   * The answer to a LOGIN that the server did not turn away for now: a refusal by admission control
   * (503, 107) is tried again after the server's hint, with jitter, the pauses growing
   * ({@link Backoff}), each announced on {@code screen}; at most {@link #LOGIN_RETRIES} times, then it
   * fails saying so. {@code attempt} sends it afresh each time (on a new connection if the last one
   * dropped meanwhile).
   */
  static ObjectNode admitted(Attempt attempt, Pause pause, Consumer<String> screen) throws ClientException {
    Backoff backoff = new Backoff(LOGIN_RETRIES);
    while (true) {
      ObjectNode ack = attempt.answer();
      if (!Backoff.turnedAway(ack)) {
        return ack;
      }
      long millis = backoff.pauseAfter(ack);
      if (millis < 0) {
        throw new ClientException("login failed: gave up after " + (backoff.refusals() + 1) + " tries: "
            + Backoff.why(ack) + " (" + ack.path("errmsg").asText() + "); try again later");
      }
      screen.accept(Backoff.waiting(ack, millis));
      if (!pause.pause(millis)) {
        throw new ClientException("client is closing");
      }
    }
  }
}
