// A login that a node's admission control turned away for now: LOGIN_ACK errno 503 (the node is
// busy) or 107 (too many requests from this address), answered at once with a `retry` hint in ms
// (README, "Admission control"). It is tried again after the hint (1 s without one), doubled for
// each refusal in a row, each pause up to half again longer at random so that the pages turned away
// together do not come back together, at most 10 s (never sooner than the hint said), and at most
// MAX_RETRIES times. The terminal client does the same (chat.client.Backoff).

import { ChatError } from "./link.js";
import { RETRYABLE } from "./protocol.js";

const DEFAULT_HINT_MS = 1000;
const MAX_PAUSE_MS = 10000;
const JITTER = 0.5;
/** How often a password login turned away for now is tried again before the page gives up. */
export const MAX_RETRIES = 6;

/** The pause before the next try after `refusals` refusals in a row (`random` in [0, 1)). */
export function admissionPause(hintMs, refusals, random = Math.random()) {
  const base = hintMs > 0 ? hintMs : DEFAULT_HINT_MS;
  const grown = Math.min(base * 2 ** refusals, MAX_PAUSE_MS / (1 + JITTER));
  return Math.max(base, Math.round(grown * (1 + JITTER * random)));
}

/** Why the server turned a request away (errno 107 or 503), in a few words. */
export function busyReason(errno) {
  return errno === 107 ? "Too many logins from your address" : "Server busy";
}

/** "Server busy — trying again in 1.4 s": shown while a login waits to be tried again. */
export function waitingText(errno, pauseMs) {
  const seconds = pauseMs < 10000 ? (pauseMs / 1000).toFixed(1) : String(Math.round(pauseMs / 1000));
  return `${busyReason(errno)} — trying again in ${seconds} s`;
}

/** The person stopped a login that was waiting to be tried again. */
export class Stopped extends Error {
  constructor(errno) {
    super(`Stopped: not logged in (${busyReason(errno).toLowerCase()}).`);
    this.stopped = true;
  }
}

/**
 * Runs `attempt` (a login: resolves, or rejects with ChatError) until the server does not turn it
 * away for now. Before each pause, onWait(pauseMs, errno); `signal` (an AbortSignal) stops a pause
 * short and the whole with Stopped. After MAX_RETRIES pauses the last refusal is given up, in words.
 */
export async function untilAdmitted(attempt, { onWait, signal }) {
  for (let refusals = 0; ; refusals++) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof ChatError) || !RETRYABLE.has(err.errno)) {
        throw err;
      }
      if (refusals >= MAX_RETRIES) {
        throw new ChatError(err.errno, `${busyReason(err.errno)}: gave up after ${refusals + 1} tries.`
          + " Please try again in a minute.", err.reply);
      }
      const pause = admissionPause(err.reply && err.reply.retry, refusals);
      onWait(pause, err.errno);
      await paused(pause, signal, err.errno);
    }
  }
}

function paused(ms, signal, errno) {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new Stopped(errno));
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", stop);
      resolve();
    }, ms);
    function stop() {
      clearTimeout(timer);
      reject(new Stopped(errno));
    }
    signal.addEventListener("abort", stop, { once: true });
  });
}
