package chat.service;

import chat.protocol.ChatException;
import chat.protocol.ErrorCode;
import chat.protocol.Messages;
import chat.protocol.MsgId;
import chat.protocol.Request;
import chat.session.Session;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a handler answers its request: every ack and every error reply is decided and built here, so
 * all look alike. Fills the request's {@link Answer} slot exactly once (a second answer is ignored).
 */
public final class Reply {
  private static final Logger LOG = LoggerFactory.getLogger(Reply.class);

  private final Answer slot;
  private final Request request;
  private final Session session;
  private boolean answered;

  Reply(Answer slot, Request request, Session session) {
    this.slot = slot;
    this.request = request;
    this.session = session;
  }

  /** Sends this answer; completes once it is written (after every earlier answer of the connection). */
  public Future<Void> send(JsonNode answer) {
    if (answered) {
      return Future.succeededFuture();
    }
    answered = true;
    return slot.send(answer);
  }

  /** The request has no answer. */
  public void none() {
    if (!answered) {
      answered = true;
      slot.none();
    }
  }

  /**
   * The ack of a request that succeeded, when the client is owed one. Always when the request
   * carried a seq; without one, a chat is acked when it carried a cmid (the client's proof it was
   * kept), LOGINOUT never (the classic protocol has no such ack), and anything else except in
   * legacy sessions (the classic server answers ADD_FRIEND, CREATE_GROUP, … with nothing).
   */
  public void ack(ObjectNode ack) {
    if (owed()) {
      send(ack);
    } else {
      none();
    }
  }

  private boolean owed() {
    if (request.seq() != null) {
      return true;
    }
    return switch (request.msgid()) {
      case MsgId.ONE_CHAT, MsgId.GROUP_CHAT -> request.has("cmid");
      case MsgId.LOGINOUT -> false;
      default -> !session.legacy();
    };
  }

  /**
   * The one answer a failed request gets (ERROR, or the LOGIN / REG ack): store and broker failures
   * are worded for the client here.
   */
  public void fail(Throwable err) {
    if (err instanceof ChatException e) {
      ObjectNode rejection = Messages.rejection(e.code(), e.getMessage(), request.re(), request.seq());
      if (e.retryMillis() > 0) {
        rejection.put("retry", e.retryMillis());
      }
      send(rejection);
      return;
    }
    LOG.warn("request msgid {} failed: {}", request.msgid(), err.toString());
    send(Messages.rejection(ErrorCode.UNAVAILABLE, "storage or broker unavailable, nothing was changed: retry",
        request.re(), request.seq()));
  }
}
