package chat.service;

import chat.admission.AddressLimiter;
import chat.admission.Admission;
import chat.cluster.Presence;
import chat.config.ChatConfig;
import chat.config.Limits;
import chat.delivery.Router;
import chat.log.Appender;
import chat.log.CursorBook;
import chat.security.PasswordHasher;
import chat.security.Tokens;
import chat.store.Store;
import io.vertx.core.Vertx;

/** What the request handlers need, wired once per node and shared by all its event loops. */
public record Services(Vertx vertx, Store store, Presence presence, Appender appender, CursorBook cursors, Router router,
                       PasswordHasher hasher, Tokens tokens, Limits limits, ChatConfig.Sessions sessions,
                       AddressLimiter addresses, Admission admission) {
}
