// The WebSocket to the node: one JSON object per text frame each way (PROTOCOL.md, "WebSocket
// transport (v2)"). Requests carry a seq and are answered by whatever echoes it; everything else
// the server sends is a push. The link reconnects by itself with a growing pause (retryPause); what
// to do on a new connection (log in again, resend, sync) is the session's business (onOpen).

import { MsgId } from "./protocol.js";

const REQUEST_TIMEOUT_MS = 20000;
const PING_EVERY_MS = 60000; // the node closes a connection silent for limits.idleSeconds (300)
const RETRY_FIRST_MS = 500;
const RETRY_GROWTH = 1.5;
// a restarting node is back within seconds: a longer pause would only keep its users waiting
const RETRY_MAX_MS = 3000;

/**
 * The pause before the next try after `failures` failed ones: 0.5 s, then 1.5 times longer each
 * time up to 3 s, each pause up to 25 % shorter or longer at random (`random` in [0, 1)) so that the
 * pages of a restarted node do not all come back in the same instant.
 */
export function retryPause(failures, random = Math.random()) {
  const base = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * RETRY_GROWTH ** failures);
  return Math.round(base * (0.75 + random * 0.5));
}

/** A refusal from the server: ERROR (99), or a LOGIN/REG ack whose errno is not 0. */
export class ChatError extends Error {
  constructor(errno, errmsg, reply) {
    super(errmsg || `error ${errno}`);
    this.errno = errno;
    this.reply = reply;
  }
}

/** The connection went away before the answer came. */
export class LinkDown extends Error {
  constructor() {
    super("connection lost");
    this.linkDown = true;
  }
}

export class Link {
  /**
   * onOpen(): a new connection is up; onPush(message): a message that answers no request;
   * onState(state): "connecting" | "open" | "down" (with the seconds until the next try).
   */
  constructor(url, { onOpen, onPush, onState }) {
    this.url = url;
    this.onOpen = onOpen;
    this.onPush = onPush;
    this.onState = onState;
    this.seq = 0;
    this.waiting = new Map(); // seq -> { resolve, reject, timer }
    this.socket = null;
    this.failures = 0;
    this.retryTimer = null;
    this.pingTimer = null;
    this.stopped = true;
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  /** Closes for good (logging out). */
  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    if (this.socket) {
      const socket = this.socket;
      socket.close(1000, "bye");
      this.closed(socket);
    }
  }

  get open() {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  }

  /** Tries again at once (the browser came back online, the tab came back). */
  retryNow() {
    if (!this.stopped && this.socket === null) {
      clearTimeout(this.retryTimer);
      this.connect();
    }
  }

  connect() {
    this.retryTimer = null;
    this.onState("connecting");
    let socket;
    try {
      socket = new WebSocket(this.url);
    } catch (e) {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.failures = 0;
      this.onState("open");
      clearInterval(this.pingTimer);
      this.pingTimer = setInterval(() => this.ping(), PING_EVERY_MS);
      this.onOpen();
    };
    socket.onmessage = (event) => this.received(event.data);
    socket.onclose = () => this.closed(socket);
    socket.onerror = () => { /* onclose follows */ };
  }

  closed(socket) {
    if (this.socket !== socket) {
      return;
    }
    this.socket = null;
    clearInterval(this.pingTimer);
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of waiting) {
      clearTimeout(w.timer);
      w.reject(new LinkDown());
    }
    if (!this.stopped) {
      this.scheduleRetry();
    }
  }

  scheduleRetry() {
    const pause = retryPause(this.failures++);
    this.onState("down", Math.ceil(pause / 1000));
    this.retryTimer = setTimeout(() => this.connect(), pause);
  }

  /** Drops the connection (a request that got no answer: the link is probably dead). */
  drop() {
    if (this.socket) {
      const s = this.socket;
      s.close();
      this.closed(s);
    }
  }

  received(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch (e) {
      console.warn("not JSON from the server", e);
      return;
    }
    if (message === null || typeof message !== "object") {
      return;
    }
    const w = message.seq !== undefined ? this.waiting.get(message.seq) : undefined;
    if (w === undefined) {
      this.onPush(message);
      return;
    }
    this.waiting.delete(message.seq);
    clearTimeout(w.timer);
    if (message.msgid === MsgId.ERROR) {
      w.reject(new ChatError(message.errno, message.errmsg, message));
    } else {
      w.resolve(message);
    }
  }

  /**
   * Sends a request with the next seq; resolves with the answer that echoes it (an ERROR rejects
   * with ChatError, a lost connection with LinkDown).
   */
  request(body, timeoutMs = REQUEST_TIMEOUT_MS) {
    if (!this.open) {
      return Promise.reject(new LinkDown());
    }
    const seq = ++this.seq;
    const message = { ...body, seq };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.waiting.delete(seq)) {
          reject(new LinkDown());
          this.drop();
        }
      }, timeoutMs);
      this.waiting.set(seq, { resolve, reject, timer });
      this.socket.send(JSON.stringify(message));
    });
  }

  /** A request that is never answered (TYPING); an ERROR it may cause arrives as a push. */
  tell(body) {
    if (this.open) {
      this.socket.send(JSON.stringify({ ...body, seq: ++this.seq }));
    }
  }

  ping() {
    this.request({ msgid: MsgId.PING }, 15000).catch(() => { /* drop() already reconnects */ });
  }
}
