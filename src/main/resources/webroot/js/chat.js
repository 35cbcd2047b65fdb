// The page's model of one user's chat: login (password or token), friends and groups with
// presence, whom the user blocks, conversations with their numbered messages (edited and recalled
// in place: an edit or recall is an entry of its own that changes an earlier one), the outbox of
// messages not yet confirmed, and what is done after every (re)connection so that nothing is lost
// or shown twice:
//   1. LOGIN with the saved token (caps: receipts, typing, presence, social, edits);
//   2. CONVERSATIONS (the list, unread counts, newest cseq of each);
//   3. every unconfirmed message resent with its cmid, in order (the server appends each once);
//   4. SYNC after the last cseq held of each conversation that is loaded.
// It knows nothing of the DOM: the view listens to its events.

import { Link, ChatError } from "./link.js";
import {
  MsgId, CAPS, IN_USE, RETRYABLE, peerConv, groupConv, parseConv, parseEntries, classicTime, newCmid,
} from "./protocol.js";
import { Saved } from "./store.js";
import { admissionPause, waitingText } from "./backoff.js";

const PAGE = 50;
const TYPING_SHOWN_MS = 5000;
const TYPING_SENT_EVERY_MS = 2500; // the server relays one every 3 s per sender and conversation
/** Pauses before logging in again while the account is in use (a reload's old session ends within moments). */
const RELOGIN_MS = [1000, 2000, 4000, 8000, 10000];
/** PROTOCOL.md's default, until a login ack tells this node's limits. */
const DEFAULT_LIMITS = Object.freeze({ maxTextChars: 4096, editSeconds: 172800, recallSeconds: 86400 });

export class Chat {
  constructor(url) {
    this.listeners = new Map();
    this.me = null;
    this.token = null;
    this.phase = "starting"; // starting | signed-out | resuming | ready
    this.linkState = "connecting";
    this.linkNote = "";
    this.friends = new Map(); // id -> { id, name, state }
    this.groups = new Map(); // id -> { id, name, desc, members: [{ id, name, state, role }] }
    this.blocked = new Set(); // the ids of the users this one blocks
    this.convs = new Map(); // key -> conversation (see conv())
    this.outbox = []; // { cmid, conv, msg, time, status, error }
    this.outboxOf = null; // whose saved outbox was read
    this.receipts = {}; // conv key -> the other user's read cursor
    this.openKey = null;
    this.generation = 0; // bumped by every (re)connection: work of an older one stops
    this.relogins = 0; // token logins refused in a row as "in use" or "busy"
    this.limits = DEFAULT_LIMITS;
    this.cardTimer = null;
    this.link = new Link(url, {
      onOpen: () => this.connected(),
      onPush: (m) => this.pushed(m),
      onState: (state, seconds) => this.linkChanged(state, seconds),
    });
  }

  // ---- events -------------------------------------------------------------------------------

  on(event, fn) {
    if (!this.listeners.has(event)) {
      this.listeners.set(event, []);
    }
    this.listeners.get(event).push(fn);
  }

  emit(event, detail) {
    for (const fn of this.listeners.get(event) || []) {
      try {
        fn(detail);
      } catch (e) {
        console.error(e);
      }
    }
  }

  notice(text) {
    this.emit("notice", text);
  }

  // ---- connection and login -----------------------------------------------------------------

  start() {
    const saved = Saved.session();
    if (saved && saved.token) {
      this.token = saved.token;
      this.me = { id: saved.id, name: saved.name };
      this.phase = "resuming";
    } else {
      this.phase = "signed-out";
    }
    this.emit("phase");
    this.link.start();
    window.addEventListener("online", () => this.link.retryNow());
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") {
        this.link.retryNow();
        this.markOpenRead();
      }
    });
  }

  linkChanged(state, seconds) {
    this.linkState = state;
    this.linkNote = state === "down" ? `offline, retrying in ${seconds} s` : "";
    if (state !== "open" && this.phase === "ready") {
      this.phase = "resuming";
      this.emit("phase");
    }
    this.emit("link");
  }

  connected() {
    const generation = ++this.generation;
    if (this.token && this.me) {
      this.resume(generation);
    }
  }

  /** LOGIN with the saved token on a new connection. */
  async resume(generation) {
    let ack;
    try {
      ack = await this.link.request({ msgid: MsgId.LOGIN, id: this.me.id, token: this.token, caps: CAPS });
    } catch (e) {
      return; // the connection dropped: connected() runs again
    }
    if (generation !== this.generation) {
      return;
    }
    if (ack.errno === 0) {
      this.relogins = 0;
      await this.loggedIn(ack, generation);
      return;
    }
    if (ack.errno === IN_USE || RETRYABLE.has(ack.errno)) {
      // a session of ours that has not ended yet (a reload), or a busy node (after its hint): again in a moment
      const pause = ack.errno === IN_USE
        ? RELOGIN_MS[Math.min(this.relogins, RELOGIN_MS.length - 1)]
        : admissionPause(ack.retry, this.relogins);
      this.relogins++;
      this.linkNote = ack.errno === IN_USE ? `${ack.errmsg}; retrying` : waitingText(ack.errno, pause);
      this.emit("link");
      setTimeout(() => {
        if (generation === this.generation && this.link.open) {
          this.resume(generation);
        }
      }, pause);
      return;
    }
    // the token expired or was revoked: the password is needed
    this.forget();
    this.notice("Your session has ended: please log in again.");
  }

  /** LOGIN as `user`: { id } or { name }; the ack tells the id. */
  async login(user, password) {
    await this.whenOpen();
    const ack = await this.link.request({ msgid: MsgId.LOGIN, ...user, password, caps: CAPS });
    if (ack.errno !== 0) {
      throw new ChatError(ack.errno, ack.errmsg, ack);
    }
    await this.loggedIn(ack, this.generation);
  }

  /** REG, then LOGIN; resolves with the new user id. */
  async register(name, password) {
    await this.whenOpen();
    const ack = await this.link.request({ msgid: MsgId.REG, name, password });
    if (ack.errno !== 0) {
      throw new ChatError(ack.errno, ack.errno === 1 ? `The name "${name}" is taken.` : ack.errmsg, ack);
    }
    await this.login({ id: ack.id }, password);
    return ack.id;
  }

  whenOpen() {
    if (this.link.open) {
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const poll = setInterval(() => {
        if (this.link.open) {
          clearInterval(poll);
          resolve();
        } else if (Date.now() - started > 20000) {
          clearInterval(poll);
          reject(new Error("the server does not answer"));
        }
      }, 100);
    });
  }

  async loggedIn(ack, generation) {
    this.me = { id: ack.id, name: ack.name };
    this.token = ack.token;
    this.limits = { ...DEFAULT_LIMITS, ...ack.limits };
    Saved.setSession({ id: ack.id, name: ack.name, token: ack.token });
    if (this.outboxOf !== ack.id) {
      // the messages a reload (or a logout) left unconfirmed: resent below, with their cmids
      this.outbox = Saved.outbox(ack.id).map((item) => ({ ...item, status: "pending" }));
      this.outboxOf = ack.id;
      for (const item of this.outbox) {
        this.conv(item.conv);
      }
    }
    this.receipts = Saved.receipts(ack.id);
    this.setCard(ack.friends, ack.groups, ack.blocked);
    for (const m of ack.offlinemsg || []) {
      const parsed = parseEntries([m])[0];
      if (parsed) {
        this.chatMessage(parsed);
      }
    }
    if (this.openKey === null) {
      const open = Saved.openConv(ack.id);
      if (open) {
        this.openKey = open;
        this.conv(open);
      }
    }
    this.phase = "ready";
    this.linkNote = "";
    this.emit("phase");
    this.emit("link");
    await this.catchUp(generation);
  }

  /** After every login: the list, then the resends, then what was missed of each loaded conversation. */
  async catchUp(generation) {
    try {
      await this.loadConversations();
      if (generation !== this.generation) {
        return;
      }
      await Promise.all(this.outbox.filter((item) => item.status === "pending").map((item) => this.flush(item)));
      if (generation !== this.generation) {
        return;
      }
      for (const conv of this.convs.values()) {
        if (conv.hi !== null) {
          await this.syncAfter(conv);
        }
      }
      if (this.openKey) {
        const open = this.conv(this.openKey);
        if (open.hi === null) {
          await this.loadNewest(open).catch((e) => {
            if (e.linkDown) {
              throw e;
            }
            this.notice(e.message); // a conversation that is not ours (any more): shown empty
          });
        }
        this.markOpenRead();
      }
    } catch (e) {
      if (!e.linkDown) {
        console.warn("catching up failed", e);
      }
    }
  }

  async logout() {
    if (this.link.open && this.phase === "ready") {
      try {
        await this.link.request({ msgid: MsgId.LOGINOUT }, 5000);
      } catch (e) {
        // the token is forgotten either way
      }
    }
    this.link.stop();
    Saved.forgetReading();
    this.forget();
    this.link.start();
  }

  /** Back to the login form: the token and everything shown are dropped (the outbox stays for the next login). */
  forget() {
    Saved.setSession(null);
    this.token = null;
    this.me = null;
    this.friends.clear();
    this.groups.clear();
    this.blocked.clear();
    this.convs.clear();
    this.outbox = [];
    this.outboxOf = null;
    this.openKey = null;
    this.phase = "signed-out";
    this.emit("phase");
  }

  // ---- friends and groups -------------------------------------------------------------------

  setCard(friends, groups, blocked) {
    this.blocked = new Set(blocked || []);
    this.friends.clear();
    for (const f of parseEntries(friends)) {
      this.friends.set(f.id, { id: f.id, name: f.name, state: f.state });
    }
    this.groups.clear();
    for (const g of parseEntries(groups)) {
      const members = parseEntries(g.users).map((u) => ({ id: u.id, name: u.name, state: u.state, role: u.role }));
      this.groups.set(g.id, { id: g.id, name: g.groupname, desc: g.groupdesc || "", members });
    }
    for (const g of this.groups.values()) {
      this.convOfGroup(g.id); // a group is a conversation from the start, even before its first message
    }
    for (const conv of this.convs.values()) {
      this.retitle(conv);
    }
    this.emit("contacts");
    this.emit("convs");
  }

  async refreshCard() {
    const ack = await this.link.request({ msgid: MsgId.CARD });
    this.setCard(ack.friends, ack.groups, ack.blocked);
  }

  /** A CARD soon (several SOCIAL events in a row make one). */
  refreshCardSoon() {
    clearTimeout(this.cardTimer);
    this.cardTimer = setTimeout(() => this.refreshCard().catch(() => { }), 150);
  }

  async findUsers(name) {
    const ack = await this.link.request({ msgid: MsgId.FIND_USER, name });
    return ack.users || [];
  }

  async addFriend(id) {
    await this.link.request({ msgid: MsgId.ADD_FRIEND, friendid: id });
    await this.refreshCard();
  }

  async removeFriend(id) {
    await this.link.request({ msgid: MsgId.REMOVE_FRIEND, friendid: id });
    await this.refreshCard();
  }

  /** Blocks a user: neither can message the other, and they are no longer friends. */
  async block(id) {
    await this.link.request({ msgid: MsgId.BLOCK, id });
    await this.refreshCard();
  }

  /** Lets a blocked user message again (they are not friends again). */
  async unblock(id) {
    await this.link.request({ msgid: MsgId.UNBLOCK, id });
    await this.refreshCard();
  }

  async createGroup(name, desc) {
    const ack = await this.link.request({ msgid: MsgId.CREATE_GROUP, groupname: name, groupdesc: desc });
    await this.refreshCard();
    return ack.groupid;
  }

  async joinGroup(id) {
    await this.link.request({ msgid: MsgId.ADD_GROUP, groupid: id });
    await this.refreshCard();
  }

  async leaveGroup(id) {
    await this.link.request({ msgid: MsgId.LEAVE_GROUP, groupid: id });
    await this.refreshCard();
  }

  // ---- conversations ------------------------------------------------------------------------

  /** The conversation of `key`, made when first seen. */
  conv(key) {
    let conv = this.convs.get(key);
    if (!conv) {
      const parsed = parseConv(key, this.me ? this.me.id : 0) || {};
      conv = {
        key,
        kind: parsed.kind,
        peer: parsed.peer,
        group: parsed.group,
        title: "",
        last: 0, // the newest cseq the server has (as far as we know)
        read: 0, // our read cursor
        unread: 0,
        lastTs: 0,
        lastText: "",
        lastCseq: 0,
        lastFrom: "",
        lastFromId: 0,
        msgs: new Map(), // cseq -> message
        lo: null, // the loaded messages lo..hi have no gap
        hi: null,
        loadingOlder: false,
        typing: new Map(), // user id -> { name, until }
        typingSentAt: 0,
        newFrom: null, // the first cseq that was unread when the reader came to it: "new messages" above it
      };
      this.convs.set(key, conv);
      this.retitle(conv);
    }
    return conv;
  }

  convOfFriend(id) {
    return this.conv(peerConv(this.me.id, id));
  }

  convOfGroup(id) {
    return this.conv(groupConv(id));
  }

  retitle(conv, hint) {
    if (conv.kind === "p") {
      const f = this.friends.get(conv.peer);
      conv.title = f ? f.name : hint || conv.title || `user ${conv.peer}`;
    } else if (conv.kind === "g") {
      const g = this.groups.get(conv.group);
      conv.title = g ? g.name : hint || conv.title || `group ${conv.group}`;
    }
  }

  /** May the user write in this conversation? (A group they left, or someone they block: no.) */
  canWrite(conv) {
    return conv.kind === "p" ? !this.blocked.has(conv.peer) : this.groups.has(conv.group);
  }

  /** May the user change the text of this message of theirs (within the server's window)? */
  canEdit(conv, m) {
    return m.mine && !m.recalled && this.canWrite(conv) && Date.now() - m.ts < this.limits.editSeconds * 1000;
  }

  /** May the user take this message back: theirs within the window, or any in a group they created. */
  canRecall(conv, m) {
    if (m.recalled || !this.canWrite(conv)) {
      return false;
    }
    const group = conv.kind === "g" ? this.groups.get(conv.group) : null;
    const creator = group && group.members.some((u) => u.role === "creator" && u.id === this.me.id);
    return creator || (m.mine && Date.now() - m.ts < this.limits.recallSeconds * 1000);
  }

  /** Conversations with something in them, most recent first. */
  sortedConvs() {
    return [...this.convs.values()]
      .filter((c) => c.last > 0 || c.msgs.size > 0 || this.pendingOf(c.key).length > 0 || c.key === this.openKey
        || c.kind === "g" && this.groups.has(c.group))
      .sort((a, b) => (b.lastTs - a.lastTs) || (a.title < b.title ? -1 : 1));
  }

  pendingOf(key) {
    return this.outbox.filter((item) => item.conv === key);
  }

  async loadConversations() {
    const ack = await this.link.request({ msgid: MsgId.CONVERSATIONS });
    for (const c of ack.convs || []) {
      const conv = this.conv(c.conv);
      this.retitle(conv, c.name || c.groupname);
      conv.last = Math.max(conv.last, c.last || 0);
      conv.read = Math.max(conv.read, c.read || 0);
      conv.unread = c.unread || 0;
      if (typeof c.peerread === "number" && c.peerread > 0) {
        // how far the other user has read: the receipts pushed while we were away
        this.receipt({ conv: c.conv, id: c.with, read: c.peerread });
      }
      if (c.lastmsg && (c.lastmsg.ts || 0) >= conv.lastTs) {
        this.preview(conv, this.message(c.lastmsg));
      }
    }
    this.emit("convs");
  }

  open(key) {
    this.openKey = key;
    if (this.me) {
      Saved.setOpenConv(this.me.id, key);
    }
    const conv = key ? this.conv(key) : null;
    if (conv) {
      conv.newFrom = null; // an earlier visit's divider: markOpenRead places it anew
    }
    this.emit("open");
    this.emit("convs");
    if (conv && this.phase === "ready") {
      if (conv.hi === null) {
        this.loadNewest(conv).catch(() => { });
      }
      this.markOpenRead();
    }
  }

  /** The newest page, when nothing of the conversation is loaded yet. */
  async loadNewest(conv) {
    const ack = await this.link.request({ msgid: MsgId.SYNC, conv: conv.key, limit: PAGE });
    this.synced(conv, ack, false);
  }

  /** What came after the newest loaded message, page after page. */
  async syncAfter(conv) {
    for (let pages = 0; pages < 100 && conv.hi !== null; pages++) {
      const ack = await this.link.request({ msgid: MsgId.SYNC, conv: conv.key, after: conv.hi, limit: 100 });
      this.synced(conv, ack, false);
      if (!ack.more || !(ack.msgs || []).length) {
        break;
      }
    }
  }

  /** The page before the oldest loaded message (scrolling up). */
  async loadOlder(conv) {
    if (conv.loadingOlder || conv.lo === null || conv.lo <= 1 || this.phase !== "ready") {
      return false;
    }
    conv.loadingOlder = true;
    try {
      const ack = await this.link.request({ msgid: MsgId.SYNC, conv: conv.key, before: conv.lo, limit: PAGE });
      this.synced(conv, ack, true);
      return true;
    } finally {
      conv.loadingOlder = false;
    }
  }

  synced(conv, ack, older) {
    conv.last = Math.max(conv.last, ack.last || 0);
    const msgs = [...(ack.msgs || [])].sort((a, b) => older ? b.cseq - a.cseq : a.cseq - b.cseq);
    for (const m of msgs) {
      if (m.msgid === MsgId.CHANGED) {
        this.change(conv, m);
      } else {
        this.merge(conv, this.message(m));
      }
    }
    if (msgs.length === 0 && conv.lo === null && !older) {
      conv.lo = 1; // an empty conversation: nothing older
      conv.hi = 0;
    }
    this.touch(conv, msgs);
    this.emit("messages", { conv, older });
    this.emit("convs");
    if (conv.key === this.openKey) {
      this.markOpenRead();
    }
  }

  /** A forwarded chat message as the page keeps it (as the server serves it now: edited, recalled). */
  message(m) {
    const mine = this.me !== null && m.id === this.me.id;
    return {
      cseq: m.cseq, mid: m.mid, ts: m.ts || Date.now(), id: m.id, name: m.name, msg: String(m.msg ?? ""),
      time: m.time, mine, status: mine ? "sent" : undefined,
      reply: typeof m.reply === "number" ? m.reply : undefined, edited: m.edited, recalled: m.recalled === true,
    };
  }

  /**
   * An edit or recall entry (CHANGED): it takes its place among the conversation's entries (shown as
   * nothing of its own) and changes the message it targets when that is loaded (one loaded later
   * comes as it is now). An older edit never overwrites a newer one (by the server's times; one made
   * here has only this browser's, so the next from the server wins); recalled is final.
   */
  change(conv, c) {
    this.merge(conv, { cseq: c.cseq, change: true, ts: c.ts, id: c.id, mine: false });
    const target = conv.msgs.get(c.target);
    if (!target || target.change || target.recalled) {
      return;
    }
    if (c.kind === "recall") {
      target.recalled = true;
      target.msg = "";
      target.edited = undefined;
    } else if (typeof c.msg === "string" && (target.editedHere || !(target.edited > c.edited))) {
      target.msg = c.msg;
      target.edited = c.edited;
      target.editedHere = c.here === true;
    }
    if (conv.lastCseq === target.cseq) {
      this.preview(conv, target);
    }
  }

  /** The list's preview of a conversation: its newest message. */
  preview(conv, m) {
    conv.lastCseq = m.cseq;
    conv.lastTs = m.ts || Date.now();
    conv.lastText = m.recalled ? "message recalled" : m.msg;
    conv.lastFrom = m.name || "";
    conv.lastFromId = m.id || 0;
  }

  /** Adds a message under its cseq; false when it was there already. */
  merge(conv, m) {
    if (typeof m.cseq !== "number") {
      return false;
    }
    const had = conv.msgs.get(m.cseq);
    if (had) {
      return false;
    }
    if (m.mine && m.cseq <= (this.receipts[conv.key] || 0)) {
      m.status = "read";
    }
    conv.msgs.set(m.cseq, m);
    if (conv.lo === null || conv.hi === null || conv.hi < conv.lo) {
      conv.lo = m.cseq;
      conv.hi = m.cseq;
    } else if (m.cseq === conv.hi + 1) {
      conv.hi = m.cseq;
    } else if (m.cseq === conv.lo - 1) {
      conv.lo = m.cseq;
    }
    while (conv.msgs.has(conv.hi + 1)) {
      conv.hi++;
    }
    while (conv.msgs.has(conv.lo - 1)) {
      conv.lo--;
    }
    conv.last = Math.max(conv.last, m.cseq);
    if (m.mine) {
      conv.read = Math.max(conv.read, m.cseq);
    }
    return true;
  }

  /** The list's preview and order follow the newest message (not an edit or recall of an older one). */
  touch(conv, msgs) {
    for (const m of msgs) {
      if (m.cseq >= conv.last && m.msgid !== MsgId.CHANGED) {
        this.preview(conv, this.message(m));
      }
    }
  }

  /** A ONE_CHAT or GROUP_CHAT pushed (or in offlinemsg). */
  chatMessage(raw) {
    if (!raw.conv) {
      return;
    }
    const conv = this.conv(raw.conv);
    if (conv.kind === "p" && !this.friends.has(conv.peer) && raw.id === conv.peer) {
      this.retitle(conv, raw.name);
    }
    const m = this.message(raw);
    const gap = conv.hi !== null && m.cseq > conv.hi + 1;
    if (!this.merge(conv, m)) {
      return;
    }
    this.touch(conv, [raw]);
    if (conv.typing.delete(m.id)) {
      this.emit("typing", conv); // what they typed has come: they are no longer typing it
    }
    if (!m.mine) {
      if (conv.key === this.openKey && this.visible()) {
        this.markOpenRead();
      } else if (m.cseq > conv.read) {
        conv.unread++;
      }
    }
    this.emit("messages", { conv, older: false });
    this.emit("convs");
    if (gap && this.phase === "ready") {
      this.syncAfter(conv).catch(() => { });
    }
  }

  /** A CHANGED pushed: someone (or another session of ours) edited or recalled a message. */
  changed(raw) {
    if (!raw.conv) {
      return;
    }
    const conv = this.conv(raw.conv);
    const gap = conv.hi !== null && raw.cseq > conv.hi + 1;
    this.change(conv, raw);
    this.emit("messages", { conv, older: false });
    this.emit("convs");
    if (gap && this.phase === "ready") {
      this.syncAfter(conv).catch(() => { });
    }
  }

  visible() {
    return document.visibilityState === "visible";
  }

  markOpenRead() {
    const conv = this.openKey ? this.convs.get(this.openKey) : null;
    if (!conv || this.phase !== "ready" || !this.visible() || conv.last <= conv.read && conv.unread === 0) {
      return;
    }
    if (conv.newFrom === null && conv.unread > 0) {
      conv.newFrom = conv.read + 1;
      this.emit("messages", { conv, older: false });
    }
    const upTo = conv.last;
    conv.read = Math.max(conv.read, upTo);
    conv.unread = 0;
    this.emit("convs");
    if (upTo > 0) {
      this.link.request({ msgid: MsgId.READ, conv: conv.key, cseq: upTo }).catch(() => { });
    }
  }

  // ---- sending ------------------------------------------------------------------------------

  /**
   * Queues a message (kept until the server confirms it, across reconnects and reloads) and sends it;
   * `reply`: the cseq of the message it answers, if any.
   */
  send(key, text, reply) {
    const item = {
      cmid: newCmid(), conv: key, msg: text, time: classicTime(), status: "pending", queuedAt: Date.now(), reply,
    };
    this.outbox.push(item);
    this.saveOutbox();
    const conv = this.conv(key);
    conv.typingSentAt = 0; // typing the next message says so again (as far as the server's 3 s allow)
    // to the top of the list; its preview changes when the server has the message (confirmed)
    conv.lastTs = Date.now();
    this.emit("messages", { conv, older: false });
    this.emit("convs");
    if (this.phase === "ready") {
      this.flush(item);
    }
  }

  saveOutbox() {
    if (this.me) {
      Saved.setOutbox(this.me.id, this.outbox
        .filter((i) => i.status === "pending")
        .map(({ cmid, conv, msg, time, queuedAt, reply }) => ({ cmid, conv, msg, time, queuedAt, reply })));
    }
  }

  async flush(item) {
    if (item.inflight || item.status !== "pending") {
      return;
    }
    const target = parseConv(item.conv, this.me.id);
    const request = target.kind === "g"
      ? { msgid: MsgId.GROUP_CHAT, groupid: target.group, msg: item.msg, time: item.time, cmid: item.cmid }
      : { msgid: MsgId.ONE_CHAT, toid: target.peer, msg: item.msg, time: item.time, cmid: item.cmid };
    if (item.reply !== undefined) {
      request.reply = item.reply;
    }
    item.inflight = true;
    try {
      const ack = await this.link.request(request);
      this.confirmed(item, ack);
    } catch (e) {
      if (e instanceof ChatError && !RETRYABLE.has(e.errno)) {
        item.status = "failed";
        item.error = e.message;
        this.saveOutbox();
        this.emit("messages", { conv: this.conv(item.conv), older: false });
      } else if (e instanceof ChatError) {
        setTimeout(() => this.phase === "ready" && this.flush(item), 2000);
      }
      // a dropped connection: resent after the next login
    } finally {
      item.inflight = false;
    }
  }

  confirmed(item, ack) {
    this.outbox = this.outbox.filter((i) => i !== item);
    this.saveOutbox();
    const conv = this.conv(ack.conv || item.conv);
    const delivered = ack.status === "delivered";
    const m = {
      cseq: ack.cseq, mid: ack.mid, ts: item.queuedAt || Date.now(), id: this.me.id, name: this.me.name,
      msg: item.msg, time: item.time, mine: true, status: delivered ? "delivered" : "sent", reply: item.reply,
    };
    if (this.merge(conv, m)) {
      this.touch(conv, [m]);
    } else {
      const had = conv.msgs.get(ack.cseq);
      if (had && had.status !== "read" && delivered) {
        had.status = "delivered";
      }
    }
    this.emit("messages", { conv, older: false });
    this.emit("convs");
  }

  /** EDIT: a new text for message `cseq` of ours; shown changed once the server has it. */
  async edit(key, cseq, text) {
    const ack = await this.link.request({ msgid: MsgId.EDIT, conv: key, target: cseq, msg: text });
    this.changedHere(key, { cseq: ack.cseq, target: cseq, kind: "edit", msg: text, edited: Date.now(), here: true });
  }

  /** RECALL: message `cseq` taken back for everyone. */
  async recall(key, cseq) {
    const ack = await this.link.request({ msgid: MsgId.RECALL, conv: key, target: cseq });
    this.changedHere(key, { cseq: ack.cseq, target: cseq, kind: "recall" });
  }

  /** A change this session made: the server answers it with its CHAT_ACK, never pushes it back here. */
  changedHere(key, change) {
    const conv = this.conv(key);
    this.change(conv, { ...change, id: this.me.id, ts: Date.now() });
    this.emit("messages", { conv, older: false });
    this.emit("convs");
  }

  /** Drops a message that failed (the user saw why). */
  discard(cmid) {
    const item = this.outbox.find((i) => i.cmid === cmid);
    this.outbox = this.outbox.filter((i) => i.cmid !== cmid);
    this.saveOutbox();
    if (item) {
      this.emit("messages", { conv: this.conv(item.conv), older: false });
    }
  }

  typed(key) {
    const conv = this.conv(key);
    const now = Date.now();
    if (this.phase === "ready" && now - conv.typingSentAt > TYPING_SENT_EVERY_MS) {
      conv.typingSentAt = now;
      this.link.tell({ msgid: MsgId.TYPING, conv: key });
    }
  }

  /** Who is typing in a conversation now. */
  typists(conv) {
    const now = Date.now();
    return [...conv.typing.values()].filter((t) => t.until > now).map((t) => t.name);
  }

  // ---- pushes -------------------------------------------------------------------------------

  pushed(m) {
    if (this.phase !== "ready" && m.msgid !== MsgId.ERROR) {
      return; // a login's catch-up brings it again
    }
    switch (m.msgid) {
      case MsgId.ONE_CHAT:
      case MsgId.GROUP_CHAT:
        this.chatMessage(m);
        break;
      case MsgId.CHANGED:
        this.changed(m);
        break;
      case MsgId.RECEIPT:
        this.receipt(m);
        break;
      case MsgId.TYPING:
        this.typing(m);
        break;
      case MsgId.PRESENCE:
        this.presence(m);
        break;
      case MsgId.SOCIAL:
        this.social(m);
        break;
      case MsgId.ERROR:
        if (m.re !== MsgId.TYPING) {
          this.notice(`server: ${m.errmsg || "error " + m.errno}`);
        }
        break;
      default:
        break;
    }
  }

  receipt(m) {
    const conv = this.conv(m.conv);
    if (this.me && m.id === this.me.id) {
      // read on another of our sessions
      conv.read = Math.max(conv.read, m.read);
      if (conv.read >= conv.last) {
        conv.unread = 0;
      } else {
        conv.unread = Math.min(conv.unread, conv.last - conv.read);
      }
      this.emit("convs");
      return;
    }
    const before = this.receipts[conv.key] || 0;
    if (m.read <= before) {
      return;
    }
    this.receipts[conv.key] = m.read;
    Saved.setReceipts(this.me.id, this.receipts);
    for (const msg of conv.msgs.values()) {
      if (msg.mine && !msg.change && msg.cseq <= m.read) {
        msg.status = "read";
      }
    }
    this.emit("messages", { conv, older: false });
  }

  typing(m) {
    if (!m.conv || (this.me && m.id === this.me.id)) {
      return;
    }
    const conv = this.conv(m.conv);
    conv.typing.set(m.id, { name: m.name || `user ${m.id}`, until: Date.now() + TYPING_SHOWN_MS });
    this.emit("typing", conv);
    setTimeout(() => this.emit("typing", conv), TYPING_SHOWN_MS + 50);
  }

  presence(m) {
    const f = this.friends.get(m.id);
    if (f) {
      f.state = m.state;
    }
    for (const g of this.groups.values()) {
      for (const u of g.members) {
        if (u.id === m.id) {
          u.state = m.state;
        }
      }
    }
    this.emit("contacts");
  }

  social(m) {
    const who = m.name || `user ${m.id}`;
    const group = m.groupid !== undefined ? this.groups.get(m.groupid) : null;
    const where = group ? group.name : `group ${m.groupid}`;
    const text = {
      friend_added: `${who} added you as a friend`,
      friend_removed: `${who} removed you from their friends`,
      member_joined: `${who} joined ${where}`,
      member_left: `${who} left ${where}`,
    }[m.event];
    if (text) {
      this.notice(text);
    }
    this.refreshCardSoon();
  }
}
