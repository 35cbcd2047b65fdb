package chat.service;

import chat.admission.Admission;
import chat.protocol.ChatException;
import chat.protocol.ErrorCode;
import chat.protocol.Messages;
import chat.protocol.MsgId;
import chat.protocol.Request;
import chat.session.Session;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;

/**
 * Decoded frame in, handler chosen by msgid, preconditions checked, and every failure turned into
 * exactly one answer ({@link Reply#fail}). The returned future completes once the next request may
 * start: when this one cannot be overtaken any more. The table in {@link #route} is the list of
 * everything a client can ask.
 */
public final class Dispatcher {
  /** A request handler; it fills {@code reply} exactly once, now or later. */
  private interface Handler {
    Future<Void> handle(Session session, Request request, Reply reply);
  }

  private final LoginService logins;
  private final AccountService accounts;
  private final SocialService social;
  private final ChatService chat;
  private final ConversationService conversations;
  private final Admission admission;
  private final Notices notices;

  public Dispatcher(Services services) {
    Guards guards = new Guards(services.store().groups(), new KnownUsers(services.store().users()));
    this.notices = new Notices(services.vertx(), services.store().friends(), services.router(),
        services.presence(), services.sessions().presenceWindowMillis());
    this.logins = new LoginService(services, notices);
    this.accounts = new AccountService(services);
    this.social = new SocialService(services, notices, guards);
    this.chat = new ChatService(services, guards);
    this.conversations = new ConversationService(services, guards);
    this.admission = services.admission();
  }

  /** The node stops, its sessions closed: what presence changes are still gathered go out now. */
  public Future<Void> stop() {
    return notices.flush();
  }

  public Future<Void> dispatch(Session session, ObjectNode frame, Answer answer) {
    Request request = Request.of(frame);
    Reply reply = new Reply(answer, request, session);
    Admission.Ticket ticket = admission.enter(lane(request.msgid()), session.remoteAddress());
    if (!ticket.admitted()) {
      reply.fail(new ChatException(ticket.refusal(), ticket.reason(), ticket.retryMillis()));
      return Future.succeededFuture();
    }
    Future<Void> accepted;
    try {
      request.requireValid();
      accepted = route(request.msgid()).handle(session, request, reply);
    } catch (RuntimeException e) {
      // validation errors, and any bug, still end in one answer rather than a dead connection
      accepted = Future.failedFuture(e);
    }
    return accepted.andThen(done -> ticket.release().run()).recover(err -> {
      reply.fail(err);
      return Future.succeededFuture();
    });
  }

  /** The requests that cost the node a lot (a password hash, a login card, a page of history): admitted by lane. */
  private static Admission.Lane lane(int msgid) {
    return switch (msgid) {
      case MsgId.LOGIN, MsgId.REG, MsgId.CHANGE_PASSWORD -> Admission.Lane.LOGIN;
      case MsgId.SYNC, MsgId.CONVERSATIONS, MsgId.CARD, MsgId.FIND_USER -> Admission.Lane.QUERY;
      default -> null;
    };
  }

  /** Called when the user's session ends without LOGINOUT (connection closed). */
  public Future<Void> disconnected(Session session) {
    return logins.disconnect(session);
  }

  private Handler route(int msgid) {
    return switch (msgid) {
      case MsgId.LOGIN -> logins::login;
      case MsgId.REG -> accounts::register;
      case MsgId.PING -> Dispatcher::ping;
      case MsgId.LOGINOUT -> loggedIn(logins::logout);
      case MsgId.ONE_CHAT -> loggedIn(chat::oneChat);
      case MsgId.ADD_FRIEND -> loggedIn(social::addFriend);
      case MsgId.CREATE_GROUP -> loggedIn(social::createGroup);
      case MsgId.ADD_GROUP -> loggedIn(social::joinGroup);
      case MsgId.GROUP_CHAT -> loggedIn(chat::groupChat);
      case MsgId.SYNC -> loggedIn(conversations::sync);
      case MsgId.CONVERSATIONS -> loggedIn(conversations::conversations);
      case MsgId.READ -> loggedIn(conversations::read);
      case MsgId.TYPING -> loggedIn(conversations::typing);
      case MsgId.REMOVE_FRIEND -> loggedIn(social::removeFriend);
      case MsgId.LEAVE_GROUP -> loggedIn(social::leaveGroup);
      case MsgId.FIND_USER -> loggedIn(social::findUser);
      case MsgId.CARD -> loggedIn(social::card);
      case MsgId.CHANGE_PASSWORD -> loggedIn(accounts::changePassword);
      case MsgId.BLOCK -> loggedIn(social::block);
      case MsgId.UNBLOCK -> loggedIn(social::unblock);
      case MsgId.EDIT -> loggedIn(chat::edit);
      case MsgId.RECALL -> loggedIn(chat::recall);
      default -> (session, request, reply) ->
          Future.failedFuture(new ChatException(ErrorCode.UNKNOWN_MSGID, "unknown msgid " + msgid));
    };
  }

  private static Future<Void> ping(Session session, Request request, Reply reply) {
    reply.send(Messages.withSeq(Messages.object(MsgId.PONG), request.seq()));
    return Future.succeededFuture();
  }

  private static Handler loggedIn(Handler handler) {
    return (session, request, reply) -> session.user() == null
        ? Future.failedFuture(new ChatException(ErrorCode.NOT_LOGGED_IN, "not logged in"))
        : handler.handle(session, request, reply);
  }
}
