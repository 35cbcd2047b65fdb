package chat.service;

import chat.protocol.ChatException;
import chat.protocol.ErrorCode;
import chat.protocol.Messages;
import chat.protocol.MsgId;
import chat.protocol.Request;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.BiFunction;

/**
 * Decoded frame in, handler chosen by msgid, preconditions checked, and every failure turned into
 * exactly one ERROR reply. The returned future completes when the request is fully handled, so a
 * connection can handle its requests strictly in order.
 */
public final class Dispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  private final AccountService accounts;
  private final SocialService social;
  private final ChatService chat;

  public Dispatcher(Services services) {
    this.accounts = new AccountService(services);
    this.social = new SocialService(services);
    this.chat = new ChatService(services);
  }

  public Future<Void> dispatch(Session session, ObjectNode frame) {
    Request request = Request.of(frame);
    Future<Void> handled;
    try {
      request.requireValid();
      handled = route(session, request);
    } catch (RuntimeException e) {
      // validation errors, and any bug, still end in one ERROR reply rather than a dead connection
      handled = Future.failedFuture(e);
    }
    return handled.recover(err -> {
      session.send(errorReply(err, request));
      return Future.succeededFuture();
    });
  }

  /** Called when the user's session ends without LOGINOUT (connection closed). */
  public Future<Void> disconnected(Session session) {
    return accounts.disconnect(session);
  }

  private Future<Void> route(Session session, Request request) {
    return switch (request.msgid()) {
      case MsgId.LOGIN -> accounts.login(session, request);
      case MsgId.REG -> accounts.register(session, request);
      case MsgId.PING -> {
        session.send(Messages.withSeq(Messages.object(MsgId.PONG), request.seq()));
        yield Future.succeededFuture();
      }
      case MsgId.LOGINOUT -> loggedIn(session, request, accounts::logout);
      case MsgId.ONE_CHAT -> loggedIn(session, request, chat::oneChat);
      case MsgId.ADD_FRIEND -> loggedIn(session, request, social::addFriend);
      case MsgId.CREATE_GROUP -> loggedIn(session, request, social::createGroup);
      case MsgId.ADD_GROUP -> loggedIn(session, request, social::joinGroup);
      case MsgId.GROUP_CHAT -> loggedIn(session, request, chat::groupChat);
      default -> Future.failedFuture(new ChatException(ErrorCode.UNKNOWN_MSGID, "unknown msgid " + request.msgid()));
    };
  }

  private static Future<Void> loggedIn(Session session, Request request,
                                       BiFunction<Session, Request, Future<Void>> handler) {
    if (session.user() == null) {
      return Future.failedFuture(new ChatException(ErrorCode.NOT_LOGGED_IN, "not logged in"));
    }
    return handler.apply(session, request);
  }

  /** The one ERROR reply a failed request gets. */
  static ObjectNode errorReply(Throwable err, Request request) {
    if (err instanceof ChatException e) {
      return Messages.rejection(e.code(), e.getMessage(), request.re(), request.seq());
    }
    LOG.warn("request msgid {} failed: {}", request.msgid(), err.toString());
    return Messages.rejection(ErrorCode.UNAVAILABLE, "storage or broker unavailable, nothing was changed: retry",
        request.re(), request.seq());
  }
}
