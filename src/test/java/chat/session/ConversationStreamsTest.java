package chat.session;

import chat.log.CursorBook;
import chat.store.ConvId;
import chat.store.LogStore;
import chat.testing.Appends;
import chat.testing.StoreTestBase;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static chat.testing.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A session's conversation streams against the real store, with one lookup held back so that a
 * race happens every time: the session ends while the place of a conversation is being looked up.
 * (Under fuzzing the node used to log "Promise already completed" here: the lookup came back,
 * released what the end had already answered, wrote to the connection of a user who had logged
 * out and moved their delivered cursor past a message nobody was shown.)
 */
class ConversationStreamsTest extends StoreTestBase {
  @Override
  protected int poolSize() {
    return 4;
  }

  @Test
  void aLookupThatComesBackAfterTheEndWritesNothingAndMovesNoCursor() {
    long a = await(store.users().create("sa", "h"));
    long b = await(store.users().create("sb", "h"));
    ConvId conv = ConvId.ofUsers(a, b);
    LogStore.Entry first = Appends.all(vertx, store, Appends.message(conv, a, null, "first")).get(0).entry();
    Promise<LogStore.Place> lookup = Promise.promise();
    LogStore held = heldPlace(store.log(), lookup.future());
    CursorBook cursors = new CursorBook(vertx, store.log());
    Context context = vertx.getOrCreateContext();
    RecordingOutlet outlet = new RecordingOutlet(context);
    List<Throwable> unhandled = new CopyOnWriteArrayList<>();
    context.exceptionHandler(unhandled::add);
    try {
      ConversationStreams streams = await(onContext(context, () -> Future.succeededFuture(
          new ConversationStreams(b, false, false, false, outlet, vertx, held, cursors))));
      // the first push of the conversation waits for its place; the session ends meanwhile
      Future<Boolean> pushed = await(onContext(context, () -> Future.succeededFuture(
          streams.pushed(Outbound.entry(first)))));
      await(onContext(context, () -> {
        streams.end();
        return Future.succeededFuture();
      }));
      assertFalse(await(pushed), "what is held when the session ends is not taken");
      await(onContext(context, () -> {
        lookup.complete(new LogStore.Place(0, 0));
        return Future.succeededFuture();
      }));
      // a moment for anything the lookup set off
      await(onContext(context, () -> Future.succeededFuture()));
      await(cursors.flush(b));
      assertEquals(List.of(), outlet.written, "nothing written after the end");
      assertEquals(0, await(store.log().place(b, conv.key())).delivered(), "the cursor did not move");
      assertTrue(unhandled.isEmpty(), "no exception: " + unhandled);
    } finally {
      await(cursors.close());
    }
  }

  private static <T> Future<T> onContext(Context context, java.util.function.Supplier<Future<T>> work) {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> {
      try {
        work.get().onComplete(done);
      } catch (RuntimeException e) {
        done.fail(e);
      }
    });
    return done.future();
  }

  /** The real log, but for the lookup of the user's place, which answers when the test says. */
  private static LogStore heldPlace(LogStore real, Future<LogStore.Place> place) {
    return (LogStore) Proxy.newProxyInstance(LogStore.class.getClassLoader(), new Class<?>[] {LogStore.class},
        (proxy, method, args) -> {
          if (method.getName().equals("place")) {
            return place;
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  /** The socket side of a connection, recording what the session writes to it. */
  private static final class RecordingOutlet implements Outlet {
    final List<String> written = new CopyOnWriteArrayList<>();
    private final Context context;

    RecordingOutlet(Context context) {
      this.context = context;
    }

    @Override
    public Context context() {
      return context;
    }

    @Override
    public Future<Void> push(Buffer line) {
      return write(line);
    }

    @Override
    public boolean full() {
      return false;
    }

    @Override
    public Future<Void> room() {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> write(Buffer line) {
      written.add(line.toString());
      return Future.succeededFuture();
    }

    @Override
    public void close() {
    }
  }
}
