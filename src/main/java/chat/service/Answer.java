package chat.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;

/**
 * The answer slot of one request, as the connection keeps it. A connection writes answers in the
 * order its requests came, whatever order they are ready in, so a later request's quick answer
 * waits for an earlier one's slow answer. Every slot is filled exactly once: an answer, or none.
 */
public interface Answer {
  /** Completes on the caller's context once the answer is written (after every earlier one). */
  Future<Void> send(JsonNode answer);

  /** This request has no answer. */
  void none();
}
