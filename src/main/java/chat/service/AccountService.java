package chat.service;

import chat.admission.AddressLimiter;
import chat.protocol.ChatException;
import chat.protocol.ErrorCode;
import chat.protocol.Messages;
import chat.protocol.MsgId;
import chat.protocol.Request;
import chat.security.PasswordHasher;
import chat.session.Session;
import chat.store.DuplicateNameException;
import chat.store.NameFold;
import chat.store.Store;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REG and CHANGE_PASSWORD: an account's name and password. A name is taken when another user's has
 * the same folded form ({@link NameFold}); the store's unique key decides, whatever the race.
 */
final class AccountService {
  private static final Logger LOG = LoggerFactory.getLogger(AccountService.class);
  static final int MAX_NAME_CHARS = 64;
  static final int MAX_PASSWORD_CHARS = 256;

  private final Store store;
  private final PasswordHasher hasher;
  private final AddressLimiter addresses;

  AccountService(Services services) {
    this.store = services.store();
    this.hasher = services.hasher();
    this.addresses = services.addresses();
  }

  Future<Void> register(Session session, Request request, Reply reply) {
    String name = request.name("name", MAX_NAME_CHARS);
    String folded = NameFold.of(name);
    if (folded.isEmpty()) {
      throw ChatException.badRequest("name must have a character that shows");
    }
    if (!NameFold.fits(folded)) {
      throw ChatException.badRequest("name is too long once its compatibility characters are spelled out");
    }
    String password = request.text("password", MAX_PASSWORD_CHARS);
    return hasher.hash(password)
        .compose(hash -> store.users().create(name, hash))
        .map(id -> {
          LOG.info("registered user {}", id);
          return Messages.ack(MsgId.REG_ACK, request.seq()).put("id", id);
        })
        .recover(err -> err instanceof DuplicateNameException
            ? Future.succeededFuture(Messages.refused(MsgId.REG_ACK, 1, "name '" + name + "' is already taken"
                + " (names that differ only in case or width are one name)",
                request.seq()))
            : Future.failedFuture(err))
        .map(answer -> {
          reply.send(answer);
          return null;
        });
  }

  /**
   * CHANGE_PASSWORD: the old password proves it is the user (a wrong one counts as a failed login of
   * the address, and gets errno 1); every token of the user but this session's is revoked.
   */
  Future<Void> changePassword(Session session, Request request, Reply reply) {
    String old = request.text("password", MAX_PASSWORD_CHARS);
    String fresh = request.text("newpassword", MAX_PASSWORD_CHARS);
    long me = session.user().id();
    String address = session.remoteAddress();
    if (!addresses.loginStarted(address)) {
      throw new ChatException(ErrorCode.RATE_LIMITED, "too many failed logins from your address: wait a minute");
    }
    return store.users().passwordHash(me)
        .compose(hash -> hasher.verify(old, hash.orElse(null)))
        .compose(ok -> {
          if (!ok) {
            addresses.loginFailed(address);
            reply.send(Messages.refused(MsgId.CHANGE_PASSWORD_ACK, 1, "password is invalid", request.seq()));
            return Future.succeededFuture();
          }
          return hasher.hash(fresh)
              .compose(hash -> store.users().changePassword(me, hash))
              .compose(v -> store.tokens().revokeAllBut(me, session.tokenDigest()))
              .onSuccess(v -> {
                LOG.info("user {} changed their password", me);
                reply.send(Messages.ack(MsgId.CHANGE_PASSWORD_ACK, request.seq()));
              });
        })
        .andThen(done -> addresses.loginEnded(address));
  }
}
