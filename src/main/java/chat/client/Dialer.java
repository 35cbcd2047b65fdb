package chat.client;

import chat.protocol.Messages;
import chat.protocol.MsgId;

import java.io.IOException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Where the session connects, and opening connections there: at the start the first of the
 * candidates that answers a PING ({@link #connect}), then always that one. Threads: {@code connect}
 * runs on the person's thread before anything else; the endpoint is volatile, as any thread opens
 * connections and names the address.
 */
final class Dialer {
  private final List<Endpoint> candidates;
  private final Duration timeout;
  private final ServerLink.Listener listener;
  /** The endpoint that answered {@link #connect}; every later connection goes there. */
  private volatile Endpoint endpoint;

  /** {@code candidates}: where to connect, in order of preference; {@code listener} hears every connection opened. */
  Dialer(List<Endpoint> candidates, Duration timeout, ServerLink.Listener listener) {
    this.candidates = List.copyOf(candidates);
    this.endpoint = candidates.get(0);
    this.timeout = timeout;
    this.listener = listener;
  }

  String address() {
    Endpoint e = endpoint;
    return e.host() + ":" + e.port();
  }

  /** A new connection to the endpoint. */
  ServerLink open() throws IOException {
    return ServerLink.open(endpoint.host(), endpoint.port(), listener);
  }

  /**
   * Connects before anything is asked of the user: the first candidate that answers a PING, and that
   * {@code keep} takes (false: the client is closing), is where the session stays. Fails naming every
   * address tried and what went wrong there.
   */
  Endpoint connect(Predicate<ServerLink> keep) throws ClientException {
    List<String> problems = new ArrayList<>();
    for (Endpoint candidate : candidates) {
      endpoint = candidate;
      ServerLink fresh;
      try {
        fresh = ServerLink.open(candidate.host(), candidate.port(), listener);
      } catch (IOException e) {
        problems.add(candidate.described() + ": " + (e instanceof UnknownHostException ? "unknown host" : e.getMessage()));
        continue;
      }
      String problem = ping(fresh);
      if (problem == null) {
        if (keep.test(fresh)) {
          return candidate;
        }
        problem = "client is closing";
      }
      fresh.close();
      problems.add(candidate.described() + ": " + problem);
    }
    throw new ClientException("cannot connect to " + String.join(", nor to ", problems));
  }

  /** Null when a chat server answers PING on {@code fresh}; otherwise what went wrong. */
  private String ping(ServerLink fresh) {
    try {
      fresh.request(Messages.object(MsgId.PING)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return null;
    } catch (TimeoutException e) {
      return "no answer to a PING within " + timeout.toSeconds() + " s";
    } catch (ExecutionException e) {
      return "closed the connection without answering (a node behind nginx takes only nginx's connections)";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
