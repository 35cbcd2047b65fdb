// The page: wires the DOM to the chat model. Everything a user or the server wrote is put into the
// page as text (textContent, text nodes, attribute values), never parsed as HTML.

import { Chat } from "./chat.js";
import { el, clear, show, $, formatTime, fullTime, confirmTwice, rebuildKeepingFocus } from "./dom.js";

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
    const id = $("login-form").elements.id;
    if (!id.value) {
      id.focus();
    }
  }
  renderMe();
  renderLink();
  renderConvs();
  renderContacts();
  renderOpen(true);
}

function renderMe() {
  $("me").textContent = chat.me ? `${chat.me.name} (#${chat.me.id})` : "";
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

$("login-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const f = e.target.elements;
  const id = Number(f.id.value.trim());
  if (!Number.isInteger(id) || id <= 0) {
    $("login-error").textContent = "Your user id is the number you got when you registered.";
    return;
  }
  submitting(e.target, async () => {
    await chat.login(id, f.password.value);
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
    notice(`Welcome! Your user id is ${id}: you log in with it.`, 15000);
  });
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
    const pending = chat.pendingOf(conv.key);
    const preview = pending.length ? pending[pending.length - 1].msg : conv.lastText;
    const mine = pending.length > 0 || conv.lastFromId === chat.me.id;
    const from = mine ? "You" : conv.kind === "g" ? conv.lastFrom : "";
    const button = el("button", {
      type: "button", className: "item conv-item", dataset: { conv: conv.key, unread: String(conv.unread) },
      attrs: { "aria-current": conv.key === chat.openKey ? "true" : "false" },
      on: { click: () => openConv(conv.key) },
    },
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

function presenceDot(state) {
  return el("span", { className: `dot ${state === "online" ? "on" : "off"}`, attrs: { "aria-hidden": "true" } });
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
  const sortedFriends = [...chat.friends.values()].sort((a, b) =>
    (a.state === b.state ? 0 : a.state === "online" ? -1 : 1) || a.name.localeCompare(b.name));
  for (const f of sortedFriends) {
    friends.append(el("li", {},
      el("button", {
        type: "button", className: "item friend", dataset: { friend: String(f.id), state: f.state },
        on: { click: () => openConv(chat.convOfFriend(f.id).key) },
      },
      presenceDot(f.state),
      el("span", { className: "friend-name", text: f.name }),
      el("span", { className: "muted", text: ` #${f.id} · ${f.state}` }))));
  }
  if (!sortedFriends.length) {
    friends.append(el("li", { className: "muted", text: "No friends yet: find people by name above." }));
  }
  const groups = $("group-list");
  clear(groups);
  for (const g of [...chat.groups.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const online = g.members.filter((u) => u.state === "online").length;
    groups.append(el("li", {},
      el("button", {
        type: "button", className: "item group", dataset: { group: String(g.id) },
        on: { click: () => openConv(chat.convOfGroup(g.id).key) },
      },
      el("span", { className: "group-name", text: g.name }),
      el("span", { className: "muted", text: ` #${g.id} · ${members(g.members.length)}, ${online} online` }))));
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
  const sub = $("conv-sub");
  const group = conv.kind === "g" ? chat.groups.get(conv.group) : null;
  const friend = conv.kind === "p" ? chat.friends.get(conv.peer) : null;
  if (conv.kind === "g") {
    sub.textContent = group
      ? `group #${group.id} · ${members(group.members.length)}${group.desc ? " · " + group.desc : ""}`
      : `group #${conv.group} · you are not a member`;
  } else {
    sub.textContent = friend ? `#${friend.id} · ${friend.state}` : `#${conv.peer} · not your friend`;
  }
  sub.dataset.state = friend ? friend.state : "";
  show($("members-btn"), !!group);
  show($("leave-btn"), !!group);
  show($("unfriend-btn"), !!friend);
  renderMembers(group);
  const writable = chat.canWrite(conv);
  $("text").disabled = !writable;
  $("composer").querySelector("button").disabled = !writable;
  $("text").placeholder = writable ? "Message (Enter sends, Shift+Enter: new line)" : "You left this group";
  renderMessages(conv, false, opened);
  renderTyping(conv);
}

function renderMembers(group) {
  const list = $("member-list");
  clear(list);
  $("members-btn").textContent = group ? `Members (${group.members.length})` : "Members";
  if (!group) {
    show($("members"), false);
    return;
  }
  for (const u of [...group.members].sort((a, b) => (a.role === "creator" ? -1 : b.role === "creator" ? 1 : 0))) {
    list.append(el("li", { className: "member", dataset: { user: String(u.id), state: u.state } },
      presenceDot(u.state),
      el("span", { className: "member-name", text: u.name }),
      el("span", { className: "muted", text: ` #${u.id} · ${u.state}${u.role === "creator" ? " · creator" : ""}` })));
  }
}

$("members-btn").addEventListener("click", () => {
  const panel = $("members");
  show(panel, panel.hidden);
  $("members-btn").setAttribute("aria-expanded", String(!panel.hidden));
});

confirmTwice($("leave-btn"), "Leave? Click again", async () => {
  const conv = openConversation();
  if (conv && conv.kind === "g") {
    try {
      await chat.leaveGroup(conv.group);
      notice(`You left ${conv.title}.`);
      renderOpen();
    } catch (err) {
      notice(err.message);
    }
  }
});

confirmTwice($("unfriend-btn"), "Remove? Click again", async () => {
  const conv = openConversation();
  if (conv && conv.kind === "p") {
    try {
      await chat.removeFriend(conv.peer);
      notice(`${conv.title} is no longer your friend.`);
      renderOpen();
    } catch (err) {
      notice(err.message);
    }
  }
});

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
  clear(list);
  const group = conv.kind === "g";
  const sorted = [...conv.msgs.values()].sort((a, b) => a.cseq - b.cseq);
  let previous = null;
  for (const m of sorted) {
    list.append(messageItem(m, group, previous));
    previous = m;
  }
  for (const item of chat.pendingOf(conv.key)) {
    list.append(pendingItem(item));
  }
  const state = $("history-state");
  if (conv.lo !== null && conv.lo <= 1) {
    state.textContent = sorted.length ? "The beginning of this conversation." : "No messages yet. Say hello!";
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

const STATUS_TEXT = { pending: "sending…", sent: "sent", delivered: "delivered", read: "read", failed: "not sent" };

function messageItem(m, group, previous) {
  const showName = group && !m.mine && (!previous || previous.id !== m.id);
  return el("li", {
    className: `msg ${m.mine ? "mine" : "theirs"}`,
    dataset: { cseq: String(m.cseq), from: String(m.id), status: m.mine ? m.status : "" },
  },
  showName ? el("span", { className: "sender", text: m.name }) : null,
  el("span", { className: "text", text: m.msg }),
  el("span", { className: "meta muted", attrs: { title: `#${m.cseq} · ${fullTime(m.ts)}` } },
    el("span", { text: formatTime(m.ts) }),
    m.mine ? el("span", { className: "status", text: STATUS_TEXT[m.status] || m.status }) : null));
}

function pendingItem(item) {
  const failed = item.status === "failed";
  return el("li", { className: "msg mine pending", dataset: { cmid: item.cmid, status: item.status } },
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

function sendComposed() {
  const conv = openConversation();
  const box = $("text");
  const text = box.value;
  if (!conv || !text.trim() || !chat.canWrite(conv)) {
    return;
  }
  chat.send(conv.key, text);
  box.value = "";
  growComposer();
  $("messages").scrollTop = $("messages").scrollHeight;
}

function growComposer() {
  const box = $("text");
  box.rows = Math.min(6, Math.max(1, box.value.split("\n").length));
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
  if (conv && $("text").value.trim()) {
    chat.typed(conv.key);
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
    if (!$("members").hidden) {
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
chat.on("open", () => renderOpen(true));
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
