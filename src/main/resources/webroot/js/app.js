// The page: wires the DOM to the chat model. Everything a user or the server wrote is put into the
// page as text (textContent, text nodes, attribute values), never parsed as HTML.

import { Chat } from "./chat.js";
import { untilAdmitted, waitingText } from "./backoff.js";
import { Saved } from "./store.js";
import {
  el, clear, show, $, formatTime, fullTime, dayLabel, initials, confirmTwice, rebuildKeepingFocus,
} from "./dom.js";

const scheme = location.protocol === "https:" ? "wss:" : "ws:";
const chat = new Chat(`${scheme}//${location.host}/ws`);
window.clusterchat = chat; // for the curious (and the browser tests' diagnostics)

// ---- phase: login form or chat ---------------------------------------------------------------

function renderPhase() {
  const signedOut = chat.phase === "signed-out";
  show($("login-view"), signedOut);
  show($("chat-view"), chat.phase === "ready" || chat.phase === "resuming");
  document.body.dataset.phase = chat.phase;
  if (signedOut) {
    clear($("conv-list"));
    clear($("msg-list"));
    const user = $("login-form").elements.user;
    if (!user.value) {
      user.focus();
    }
  }
  renderMe();
  renderWelcome();
  renderLink();
  renderConvs();
  renderContacts();
  renderOpen(true);
}

function renderMe() {
  $("me").textContent = chat.me ? `${chat.me.name} (#${chat.me.id})` : "";
}

/** A new user's id and name, shown until they dismiss them (a reload keeps them). */
function renderWelcome() {
  const name = chat.me && chat.phase !== "signed-out" ? Saved.welcome(chat.me.id) : null;
  show($("welcome"), name !== null);
  if (name !== null) {
    $("welcome-name").textContent = name;
    $("welcome-id").textContent = String(chat.me.id);
  }
}

function renderLink() {
  let text;
  let state;
  if (chat.phase === "ready" && chat.linkState === "open") {
    text = "connected";
    state = "online";
  } else if (chat.linkState === "open") {
    text = chat.linkNote || (chat.phase === "signed-out" ? "" : "logging in…");
    state = "connecting";
  } else {
    text = chat.linkNote || "connecting…";
    state = chat.linkState === "down" ? "offline" : "connecting";
  }
  const s = $("link-state");
  s.textContent = text;
  s.dataset.state = state;
  $("login-link").textContent = chat.linkState === "open" ? "" : (chat.linkNote || "connecting to the server…");
}

// ---- login and register ----------------------------------------------------------------------

async function submitting(form, action) {
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  $("login-error").textContent = "";
  try {
    await action();
  } catch (e) {
    $("login-error").textContent = e.message;
  } finally {
    button.disabled = false;
  }
}

// A login the server turned away for now (busy, 503/107) waits and tries again by itself, saying so
// in the form; from its first refusal to its end the button reads "Cancel": a second click stops it.
let loginWait = null; // the AbortController of a login under way

/** Shows the pause before the next try (null: no more, the button is "Log in" again). */
function loginRetrying(pauseMs, errno) {
  const button = $("login-form").querySelector("button[type=submit]");
  $("login-retry").textContent = pauseMs === null ? "" : waitingText(errno, pauseMs);
  button.textContent = pauseMs === null ? "Log in" : "Cancel";
  button.disabled = pauseMs === null; // submitting() enables it once the login has ended
}

$("login-form").addEventListener("submit", (e) => {
  e.preventDefault();
  if (loginWait !== null) {
    loginWait.abort();
    return;
  }
  const f = e.target.elements;
  // all digits is a user id, anything else a name (compared by the server regardless of case and width)
  const typed = f.user.value.trim();
  const user = /^[0-9]+$/.test(typed) ? { id: Number(typed) } : { name: typed };
  if (user.id !== undefined && (!Number.isSafeInteger(user.id) || user.id <= 0)) {
    $("login-error").textContent = "Your user id is the number you got when you registered.";
    return;
  }
  submitting(e.target, async () => {
    loginWait = new AbortController();
    try {
      await untilAdmitted(() => chat.login(user, f.password.value), { onWait: loginRetrying, signal: loginWait.signal });
    } finally {
      loginWait = null;
      loginRetrying(null);
    }
    f.password.value = "";
  });
});

$("register-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const f = e.target.elements;
  submitting(e.target, async () => {
    const id = await chat.register(f.name.value, f.password.value);
    f.password.value = "";
    f.name.value = "";
    Saved.setWelcome(id, chat.me.name);
    renderWelcome();
  });
});

$("welcome-close").addEventListener("click", () => {
  Saved.setWelcome(chat.me.id, null);
  renderWelcome();
});

$("logout").addEventListener("click", () => chat.logout());

// ---- tabs ------------------------------------------------------------------------------------

function selectTab(which) {
  const chats = which === "chats";
  $("tab-chats").setAttribute("aria-selected", String(chats));
  $("tab-contacts").setAttribute("aria-selected", String(!chats));
  show($("chats-panel"), chats);
  show($("contacts-panel"), !chats);
}

$("tab-chats").addEventListener("click", () => selectTab("chats"));
$("tab-contacts").addEventListener("click", () => selectTab("contacts"));

// ---- the conversation list -------------------------------------------------------------------

function renderConvs() {
  rebuildKeepingFocus($("conv-list"), "conv", buildConvs);
}

function buildConvs() {
  const list = $("conv-list");
  clear(list);
  if (chat.phase === "signed-out") {
    return;
  }
  const convs = chat.sortedConvs();
  show($("conv-empty"), convs.length === 0);
  for (const conv of convs) {
    // what the server has: a message still sending, or one that failed, is never the preview
    const preview = conv.lastText;
    const from = conv.lastFromId === chat.me.id ? "You" : conv.kind === "g" ? conv.lastFrom : "";
    const button = el("button", {
      type: "button", className: "item conv-item", dataset: { conv: conv.key, unread: String(conv.unread) },
      attrs: { "aria-current": conv.key === chat.openKey ? "true" : "false" },
      on: { click: () => openConv(conv.key) },
    },
    convAvatar(conv),
    el("span", { className: "item-title" },
      el("span", { className: "kind", text: conv.kind === "g" ? "#" : "" }),
      el("span", { className: "conv-name", text: conv.title })),
    el("span", { className: "item-time muted", text: conv.lastTs ? formatTime(conv.lastTs) : "" }),
    el("span", { className: "preview muted", text: preview ? (from ? `${from}: ${preview}` : preview) : "" }),
    conv.unread > 0
      ? el("span", { className: "badge", text: String(conv.unread), attrs: { "aria-label": `${conv.unread} unread` } })
      : null);
    list.append(el("li", {}, button));
  }
}

function openConv(key) {
  chat.open(key);
  document.body.classList.add("show-conv");
  $("text").focus();
}

/** Alt+Up / Alt+Down: the previous / next conversation of the list. */
function stepConv(delta) {
  const keys = chat.sortedConvs().map((c) => c.key);
  if (!keys.length) {
    return;
  }
  const at = keys.indexOf(chat.openKey);
  const next = at < 0 ? 0 : Math.min(keys.length - 1, Math.max(0, at + delta));
  openConv(keys[next]);
}

// ---- contacts: friends, groups, find ---------------------------------------------------------

function members(n) {
  return n === 1 ? "1 member" : `${n} members`;
}

/** A presence as far as the page knows it: while it is not connected, nobody's is known. */
function presence(state) {
  return chat.phase === "ready" ? state : "unknown";
}

function presenceDot(state) {
  const kind = { online: "on", offline: "off" }[state] || "unknown";
  return el("span", { className: `dot ${kind}`, attrs: { "aria-hidden": "true" } });
}

/** A round badge with a user's or a group's initials, its colour chosen by the id (the same everywhere). */
function avatar(id, name, group = false) {
  return el("span", {
    className: "avatar", text: initials(name), vars: { hue: (id * 137 + (group ? 90 : 0)) % 360 },
    attrs: { "aria-hidden": "true" },
  });
}

function convAvatar(conv) {
  return conv.kind === "g" ? avatar(conv.group, conv.title, true) : avatar(conv.peer, conv.title);
}

function renderContacts() {
  rebuildKeepingFocus($("friend-list"), "friend", () =>
    rebuildKeepingFocus($("group-list"), "group", buildContacts));
}

function buildContacts() {
  const friends = $("friend-list");
  clear(friends);
  if (chat.phase === "signed-out") {
    return;
  }
  const online = (f) => presence(f.state) === "online";
  const sortedFriends = [...chat.friends.values()].sort((a, b) =>
    (online(b) - online(a)) || a.name.localeCompare(b.name));
  for (const f of sortedFriends) {
    const state = presence(f.state);
    friends.append(el("li", {},
      el("button", {
        type: "button", className: "item friend", dataset: { friend: String(f.id), state },
        on: { click: () => openConv(chat.convOfFriend(f.id).key) },
      },
      presenceDot(state),
      el("span", { className: "friend-name", text: f.name }),
      el("span", { className: "muted", text: ` #${f.id} · ${state}` }))));
  }
  if (!sortedFriends.length) {
    friends.append(el("li", { className: "muted", text: "No friends yet: find people by name above." }));
  }
  const groups = $("group-list");
  clear(groups);
  for (const g of [...chat.groups.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const here = chat.phase === "ready" ? `${g.members.filter(online).length} online` : "presence unknown";
    groups.append(el("li", {},
      el("button", {
        type: "button", className: "item group", dataset: { group: String(g.id) },
        on: { click: () => openConv(chat.convOfGroup(g.id).key) },
      },
      el("span", { className: "group-name", text: g.name }),
      el("span", { className: "muted", text: ` #${g.id} · ${members(g.members.length)}, ${here}` }))));
  }
  if (!chat.groups.size) {
    groups.append(el("li", { className: "muted", text: "No groups yet." }));
  }
}

$("find-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const name = e.target.elements.name.value.trim();
  const results = $("find-results");
  clear(results);
  if (!name) {
    return;
  }
  try {
    const users = await chat.findUsers(name);
    if (!users.length) {
      results.append(el("li", { className: "muted", text: `Nobody's name starts with "${name}".` }));
    }
    for (const u of users) {
      results.append(findResult(u));
    }
  } catch (err) {
    results.append(el("li", { className: "error", text: err.message }));
  }
});

function findResult(u) {
  let action;
  if (chat.me && u.id === chat.me.id) {
    action = el("span", { className: "muted", text: "you" });
  } else if (chat.friends.has(u.id)) {
    action = el("button", {
      type: "button", className: "quiet", text: "Chat",
      on: { click: () => openConv(chat.convOfFriend(u.id).key) },
    });
  } else {
    action = el("button", {
      type: "button", className: "add-friend", text: "Add friend", dataset: { user: String(u.id) },
      on: {
        click: async (e) => {
          const b = e.currentTarget;
          b.disabled = true;
          try {
            await chat.addFriend(u.id);
            b.textContent = "Added";
          } catch (err) {
            b.disabled = false;
            notice(err.message);
          }
        },
      },
    });
  }
  return el("li", { className: "found", dataset: { user: String(u.id) } },
    presenceDot(u.state),
    el("span", { className: "found-name", text: u.name }),
    el("span", { className: "muted", text: ` #${u.id} ` }),
    action);
}

$("create-group-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const f = e.target.elements;
  try {
    const id = await chat.createGroup(f.name.value.trim(), f.desc.value.trim());
    f.name.value = "";
    f.desc.value = "";
    notice(`Group #${id} created: others join it with its id, ${id}.`, 10000);
    openConv(chat.convOfGroup(id).key);
  } catch (err) {
    notice(err.message);
  }
});

$("join-group-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const f = e.target.elements;
  const id = Number(f.id.value.trim());
  try {
    await chat.joinGroup(id);
    f.id.value = "";
    openConv(chat.convOfGroup(id).key);
  } catch (err) {
    notice(err.errno === 106 ? `There is no group #${id}.` : err.message);
  }
});

// ---- the open conversation -------------------------------------------------------------------

function openConversation() {
  return chat.openKey && chat.phase !== "signed-out" ? chat.conv(chat.openKey) : null;
}

/** The conversation pane; `opened`: it was just opened (show its newest messages). */
function renderOpen(opened = false) {
  const conv = openConversation();
  show($("no-conv"), !conv);
  show($("conv-pane"), !!conv);
  if (!conv) {
    document.body.classList.remove("show-conv");
    return;
  }
  $("conv-pane").dataset.conv = conv.key;
  $("conv-title").textContent = conv.title;
  $("conv-avatar").replaceChildren(convAvatar(conv));
  const sub = $("conv-sub");
  const group = conv.kind === "g" ? chat.groups.get(conv.group) : null;
  const friend = conv.kind === "p" ? chat.friends.get(conv.peer) : null;
  if (conv.kind === "g") {
    sub.textContent = group
      ? `group #${group.id} · ${members(group.members.length)}${group.desc ? " · " + group.desc : ""}`
      : `group #${conv.group} · you are not a member`;
  } else {
    sub.textContent = friend ? `#${friend.id} · ${presence(friend.state)}` : `#${conv.peer} · not your friend`;
  }
  sub.dataset.state = friend ? presence(friend.state) : "";
  show($("members-btn"), !!group);
  show($("leave-btn"), !!group);
  show($("unfriend-btn"), !!friend);
  show($("block-friend-btn"), !!friend);
  renderMembers(group);
  renderStranger(conv, friend);
  renderBlocked(conv);
  renderComposer(conv);
  renderMessages(conv, false, opened);
  renderTyping(conv);
}

/** A one-to-one conversation with someone who is not a friend: say so, and offer what can be done. */
function renderStranger(conv, friend) {
  const stranger = conv.kind === "p" && !friend && !chat.blocked.has(conv.peer);
  show($("stranger"), stranger);
  if (stranger) {
    $("stranger-text").textContent = `${conv.title} is not your friend.`;
    $("add-friend-btn").dataset.user = String(conv.peer);
  }
}

/** Someone the user blocks: neither can write to the other until the user unblocks them. */
function renderBlocked(conv) {
  const blocked = conv.kind === "p" && chat.blocked.has(conv.peer);
  show($("blocked-bar"), blocked);
  if (blocked) {
    $("blocked-text").textContent = `You blocked ${conv.title}: neither of you can write to the other.`;
  }
}

/**
 * Does `action` to the open conversation when it is of `kind` ("p" or "g"), then says what `done`
 * says of it (or why it failed).
 */
async function actOnOpen(kind, action, done) {
  const conv = openConversation();
  if (conv && conv.kind === kind) {
    try {
      await action(conv);
      notice(done(conv));
      renderOpen();
    } catch (err) {
      notice(err.message);
    }
  }
}

// a stranger who wrote, or a friend
const blockOpen = () => actOnOpen("p", (conv) => chat.block(conv.peer), (conv) => `You blocked ${conv.title}.`);
confirmTwice($("block-btn"), "Block? Click again", blockOpen);
confirmTwice($("block-friend-btn"), "Block? Click again", blockOpen);

$("unblock-btn").addEventListener("click", () => actOnOpen("p", (conv) => chat.unblock(conv.peer),
  (conv) => `You unblocked ${conv.title}: you may write to each other again.`));

$("add-friend-btn").addEventListener("click", async (e) => {
  const button = e.currentTarget;
  button.disabled = true;
  try {
    await chat.addFriend(Number(button.dataset.user)); // the new card hides the offer
  } catch (err) {
    notice(err.message);
  } finally {
    button.disabled = false;
  }
});

function renderMembers(group) {
  const list = $("member-list");
  clear(list);
  $("members-btn").textContent = group ? `Members (${group.members.length})` : "Members";
  if (!group) {
    show($("members"), false);
    return;
  }
  for (const u of [...group.members].sort((a, b) => (a.role === "creator" ? -1 : b.role === "creator" ? 1 : 0))) {
    const state = presence(u.state);
    list.append(el("li", { className: "member", dataset: { user: String(u.id), state } },
      presenceDot(state),
      el("span", { className: "member-name", text: u.name }),
      el("span", { className: "muted", text: ` #${u.id} · ${state}${u.role === "creator" ? " · creator" : ""}` })));
  }
}

$("members-btn").addEventListener("click", () => {
  const panel = $("members");
  show(panel, panel.hidden);
  $("members-btn").setAttribute("aria-expanded", String(!panel.hidden));
});

confirmTwice($("leave-btn"), "Leave? Click again", () => actOnOpen("g", (conv) => chat.leaveGroup(conv.group),
  (conv) => `You left ${conv.title}.`));

confirmTwice($("unfriend-btn"), "Remove? Click again", () => actOnOpen("p", (conv) => chat.removeFriend(conv.peer),
  (conv) => `${conv.title} is no longer your friend.`));

$("back").addEventListener("click", () => {
  document.body.classList.remove("show-conv");
  const item = document.querySelector(`.conv-item[aria-current="true"]`);
  if (item) {
    item.focus();
  }
});

/** Rebuilds the message list, keeping the reader where they were (older pages come in above). */
function renderMessages(conv, older, opened) {
  const box = $("messages");
  const list = $("msg-list");
  const fromBottom = box.scrollHeight - box.scrollTop;
  const atBottom = opened || box.scrollHeight - box.scrollTop - box.clientHeight < 80;
  listMessages(list, conv);
  const state = $("history-state");
  if (conv.lo !== null && conv.lo <= 1) {
    state.textContent = conv.msgs.size ? "The beginning of this conversation." : "No messages yet. Say hello!";
  } else if (conv.lo !== null || conv.last > 0) {
    state.textContent = conv.loadingOlder ? "Loading older messages…" : "Scroll up for older messages.";
  } else {
    state.textContent = chat.phase === "ready" ? "No messages yet. Say hello!" : "";
  }
  if (older) {
    box.scrollTop = box.scrollHeight - fromBottom;
  } else if (atBottom) {
    box.scrollTop = box.scrollHeight;
  }
  fillUp(conv);
}

/**
 * The messages of `conv` into `list`, with a separator above each day's first and "New messages"
 * above the first that was unread (unless every message shown was).
 */
function listMessages(list, conv) {
  clear(list);
  const group = conv.kind === "g";
  list.classList.toggle("group", group);
  let previous = null; // the message right above, if nothing stands between them
  let day = null;
  let divider = conv.newFrom !== null;
  for (const entry of timeline(conv)) {
    const ts = when(entry);
    if (new Date(ts).toDateString() !== day) {
      day = new Date(ts).toDateString();
      list.append(el("li", { className: "day", text: dayLabel(ts), attrs: { role: "separator" } }));
      previous = null;
    }
    const confirmed = entry.cmid === undefined;
    if (divider && confirmed && entry.cseq >= conv.newFrom) {
      divider = false;
      if (list.querySelector(".msg")) {
        list.append(el("li", { className: "new-divider", text: "New messages", attrs: { role: "separator" } }));
        previous = null;
      }
    }
    list.append(confirmed ? messageItem(conv, entry, previous) : pendingItem(entry));
    previous = entry;
  }
}

/** Loads older pages while the list does not fill the box (nothing to scroll yet). */
function fillUp(conv) {
  const box = $("messages");
  if (box.scrollHeight <= box.clientHeight + 8 && conv.lo !== null && conv.lo > 1 && !conv.loadingOlder) {
    setTimeout(() => loadOlder(conv), 0);
  }
}

async function loadOlder(conv) {
  try {
    if (await chat.loadOlder(conv)) {
      // rendered through the "messages" event
    }
  } catch (e) {
    // the connection dropped: scrolling again retries
  }
}

$("messages").addEventListener("scroll", () => {
  const conv = openConversation();
  if (conv && $("messages").scrollTop < 60) {
    loadOlder(conv);
  }
});

/**
 * The open conversation as shown: the server's messages by cseq; one the server refused where it was
 * written (not below everything said since); those still sending last, as they will be numbered.
 */
function timeline(conv) {
  // an edit or recall shows as the change of the message it targets, not as an entry of its own
  const shown = [...conv.msgs.values()].filter((m) => !m.change).sort((a, b) => a.cseq - b.cseq);
  const sending = [];
  for (const item of chat.pendingOf(conv.key)) {
    if (item.status === "failed") {
      const after = shown.findIndex((m) => when(m) > when(item));
      shown.splice(after < 0 ? shown.length : after, 0, item);
    } else {
      sending.push(item);
    }
  }
  return shown.concat(sending);
}

/** When a message was written: the server's time, or when it was queued for one not yet confirmed. */
function when(entry) {
  return entry.cmid === undefined ? entry.ts : entry.queuedAt || Date.now();
}

const STATUS_TEXT = { pending: "sending…", sent: "sent", delivered: "delivered", read: "read", failed: "not sent" };

/** Messages of blocked group members the reader chose to see anyway (conv key + " " + cseq). */
const unfolded = new Set();

function messageItem(conv, m, previous) {
  const group = conv.kind === "g";
  // in a group, each run of someone's messages starts with their avatar and name
  const showName = group && !m.mine && (!previous || previous.id !== m.id);
  const key = `${conv.key} ${m.cseq}`;
  const folded = group && !m.mine && chat.blocked.has(m.id) && !unfolded.has(key);
  const item = el("li", {
    className: `msg ${m.mine ? "mine" : "theirs"}${m.recalled ? " recalled" : ""}${folded ? " folded" : ""}`,
    dataset: { cseq: String(m.cseq), from: String(m.id), status: m.mine ? m.status : "" },
  },
  showName ? avatar(m.id, m.name) : null,
  showName ? el("span", { className: "sender", text: m.name }) : null);
  if (folded) {
    item.append(el("span", { className: "text muted", text: "A message from someone you blocked" }),
      el("button", {
        type: "button", className: "quiet unfold", text: "show",
        on: { click: () => { unfolded.add(key); renderMessages(conv, false, false); } },
      }));
    return item;
  }
  if (m.reply !== undefined) {
    item.append(replyQuote(conv, m.reply));
  }
  item.append(el("span", { className: "text", text: m.recalled ? "message recalled" : m.msg }),
    el("span", { className: "meta muted", attrs: { title: `#${m.cseq} · ${fullTime(m.ts)}` } },
      m.edited && !m.recalled ? el("span", { className: "edited", text: "edited" }) : null,
      el("span", { text: formatTime(m.ts) }),
      m.mine ? el("span", { className: "status", text: STATUS_TEXT[m.status] || m.status }) : null,
      m.recalled ? null : messageMenu(conv, m, item)));
  return item;
}

/** What a reply answers, quoted above it: the message as it is now (or that it was recalled). */
function replyQuote(conv, cseq) {
  const target = conv.msgs.get(cseq);
  const text = !target || target.change ? `message #${cseq}`
    : target.recalled ? `${target.name}: message recalled` : `${target.name}: ${target.msg}`;
  return el("span", { className: "reply-quote muted", dataset: { reply: String(cseq) }, text });
}

/** A message's menu: reply, and for what the user may change, edit and recall. */
function messageMenu(conv, m, item) {
  const actions = el("span", { className: "msg-actions" },
    chat.canWrite(conv) ? el("button", {
      type: "button", className: "quiet reply", text: "Reply", on: { click: () => startComposing(conv, m, "reply") },
    }) : null,
    chat.canEdit(conv, m) ? el("button", {
      type: "button", className: "quiet edit", text: "Edit", on: { click: () => startComposing(conv, m, "edit") },
    }) : null);
  if (chat.canRecall(conv, m)) {
    const recall = el("button", { type: "button", className: "quiet danger recall", text: "Recall" });
    confirmTwice(recall, "Recall? Click again", () => chat.recall(conv.key, m.cseq).catch((err) => notice(err.message)));
    actions.append(recall);
  }
  if (!actions.childElementCount) {
    return null;
  }
  return el("span", { className: "msg-menu" },
    el("button", {
      type: "button", className: "quiet menu-btn", text: "⋯", attrs: { "aria-label": "Message actions" },
      on: { click: () => item.classList.toggle("menu-open") },
    }),
    actions);
}

function pendingItem(item) {
  const failed = item.status === "failed";
  return el("li", { className: `msg mine pending${failed ? " failed" : ""}`, dataset: { cmid: item.cmid, status: item.status } },
    el("span", { className: "text", text: item.msg }),
    el("span", { className: "meta muted" },
      el("span", { className: "status", text: failed ? `not sent: ${item.error}` : STATUS_TEXT.pending }),
      failed ? el("button", {
        type: "button", className: "quiet", text: "dismiss", on: { click: () => chat.discard(item.cmid) },
      }) : null));
}

function renderTyping(conv) {
  const names = chat.typists(conv);
  $("typing").textContent = names.length === 0 ? ""
    : names.length === 1 ? `${names[0]} is typing…` : `${names.join(", ")} are typing…`;
}

// ---- the composer ----------------------------------------------------------------------------

/** What the composer does besides writing a new message: { mode: "reply" | "edit", conv, cseq }, or null. */
let composing = null;

/** Reply to a message, or edit one: the composer says so above itself until sent or cancelled. */
function startComposing(conv, m, mode) {
  composing = { mode, conv: conv.key, cseq: m.cseq };
  const box = $("text");
  if (mode === "edit") {
    box.value = m.msg;
  }
  renderBanner();
  renderComposer(conv);
  growComposer();
  box.focus();
}

function stopComposing() {
  if (composing && composing.mode === "edit") {
    $("text").value = "";
    growComposer();
  }
  composing = null;
  renderBanner();
}

function renderBanner() {
  const conv = openConversation();
  const active = composing !== null && conv !== null && composing.conv === conv.key;
  show($("compose-banner"), active);
  if (!active) {
    return;
  }
  const target = conv.msgs.get(composing.cseq);
  const what = target && !target.change ? (target.recalled ? "message recalled" : target.msg) : `message #${composing.cseq}`;
  $("compose-what").textContent = composing.mode === "edit" ? `Editing: ${what}`
    : `Replying to ${target ? target.name : "message"}: ${what}`;
  $("compose-banner").dataset.mode = composing.mode;
}

$("compose-cancel").addEventListener("click", () => {
  stopComposing();
  $("text").focus();
});

const narrow = window.matchMedia("(max-width: 720px)");

/** The composer's text in characters as the server counts them: code points (an emoji is one). */
function composedLength() {
  return Array.from($("text").value).length;
}

/** The composer of `conv`: writable or not, the keyboard hint where there is room, the length against the limit. */
function renderComposer(conv) {
  const writable = chat.canWrite(conv);
  const box = $("text");
  box.disabled = !writable;
  box.placeholder = !writable ? (conv.kind === "p" ? "You blocked them: unblock to write" : "You left this group")
    : narrow.matches ? "Message" : "Message (Enter sends, Shift+Enter: new line)";
  const length = composedLength();
  const max = chat.limits.maxTextChars;
  const over = length - max;
  const count = $("text-count");
  // shown from 90 % of the limit on; beyond it the message cannot be sent
  count.textContent = over > 0 ? `${over} too long: ${length} / ${max} characters`
    : length >= max * 0.9 ? `${length} / ${max}` : "";
  count.classList.toggle("error", over > 0);
  box.setAttribute("aria-invalid", String(over > 0));
  $("composer").querySelector("button").disabled = !writable || over > 0;
}

narrow.addEventListener("change", () => {
  const conv = openConversation();
  if (conv) {
    renderComposer(conv);
  }
});

function sendComposed() {
  const conv = openConversation();
  const box = $("text");
  const text = box.value;
  if (!conv || !text.trim() || !chat.canWrite(conv) || composedLength() > chat.limits.maxTextChars) {
    return;
  }
  const mode = composing !== null && composing.conv === conv.key ? composing : null;
  composing = null;
  renderBanner();
  if (mode && mode.mode === "edit") {
    chat.edit(conv.key, mode.cseq, text).catch((err) => notice(err.message));
  } else {
    chat.send(conv.key, text, mode ? mode.cseq : undefined);
  }
  box.value = "";
  growComposer();
  renderComposer(conv);
  $("messages").scrollTop = $("messages").scrollHeight;
}

/** As high as its text, wrapped lines included (the stylesheet caps it; beyond, it scrolls). */
function growComposer() {
  const box = $("text");
  box.style.height = "auto";
  box.style.height = `${box.scrollHeight + box.offsetHeight - box.clientHeight}px`;
}

$("composer").addEventListener("submit", (e) => {
  e.preventDefault();
  sendComposed();
  $("text").focus();
});

$("text").addEventListener("keydown", (e) => {
  // not while an input method (Chinese, Japanese, …) is composing: Enter picks the characters there
  if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
    e.preventDefault();
    sendComposed();
  }
});

$("text").addEventListener("input", () => {
  growComposer();
  const conv = openConversation();
  if (conv) {
    renderComposer(conv);
    if ($("text").value.trim()) {
      chat.typed(conv.key);
    }
  }
});

// ---- keyboard --------------------------------------------------------------------------------

document.addEventListener("keydown", (e) => {
  if (chat.phase === "signed-out") {
    return;
  }
  if (e.altKey && (e.key === "ArrowUp" || e.key === "ArrowDown")) {
    e.preventDefault();
    stepConv(e.key === "ArrowUp" ? -1 : 1);
  } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "k") {
    e.preventDefault();
    selectTab("contacts");
    $("find-form").elements.name.focus();
  } else if (e.key === "Escape") {
    if (composing !== null) {
      stopComposing();
    } else if (!$("members").hidden) {
      show($("members"), false);
      $("members-btn").setAttribute("aria-expanded", "false");
    } else {
      $("back").click();
    }
  }
});

// ---- notices ---------------------------------------------------------------------------------

let noticeTimer = null;
function notice(text, ms = 6000) {
  if (chat.phase === "signed-out") {
    $("login-error").textContent = text; // the login form is what is on screen
    return;
  }
  $("notice").textContent = text;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => { $("notice").textContent = ""; }, ms);
}

// ---- model events ----------------------------------------------------------------------------

chat.on("phase", renderPhase);
chat.on("link", renderLink);
chat.on("convs", renderConvs);
chat.on("contacts", () => {
  renderContacts();
  renderOpen();
});
chat.on("open", () => {
  if (composing !== null && composing.conv !== chat.openKey) {
    stopComposing();
  }
  renderOpen(true);
  renderBanner();
});
chat.on("messages", ({ conv, older }) => {
  if (conv.key === chat.openKey) {
    renderMessages(conv, older, false);
  }
});
chat.on("typing", (conv) => {
  if (conv.key === chat.openKey) {
    renderTyping(conv);
  }
});
chat.on("notice", (text) => notice(text));

chat.start();
