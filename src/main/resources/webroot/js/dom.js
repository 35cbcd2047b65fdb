// Building the page out of elements and text nodes: there is no way here to put a string into the
// page as HTML, so nothing a user wrote can ever become markup or script.

export function $(id) {
  return document.getElementById(id);
}

/**
 * el("li", { className, text, dataset: {…}, attrs: {…}, vars: {…}, on: { click }, type }, ...children):
 * `text` becomes textContent, `vars` CSS custom properties (`--name`), strings among the children become
 * text nodes, null children are skipped.
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) {
      continue;
    }
    if (key === "text") {
      node.textContent = String(value);
    } else if (key === "className") {
      node.className = value;
    } else if (key === "dataset") {
      for (const [k, v] of Object.entries(value)) {
        if (v !== undefined && v !== null) {
          node.dataset[k] = String(v);
        }
      }
    } else if (key === "attrs") {
      for (const [k, v] of Object.entries(value)) {
        node.setAttribute(k, String(v));
      }
    } else if (key === "vars") {
      for (const [k, v] of Object.entries(value)) {
        node.style.setProperty(`--${k}`, String(v));
      }
    } else if (key === "on") {
      for (const [event, handler] of Object.entries(value)) {
        node.addEventListener(event, handler);
      }
    } else if (key === "type") {
      node.setAttribute("type", value);
    } else {
      throw new Error(`el: unknown property ${key}`);
    }
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

export function clear(node) {
  node.replaceChildren();
}

export function show(node, visible) {
  node.hidden = !visible;
}

const pad = (n) => String(n).padStart(2, "0");

/** "14:05" today, "11-24 14:05" this year, "2025-11-24" before. */
export function formatTime(ts) {
  const d = new Date(ts);
  const now = new Date();
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (d.toDateString() === now.toDateString()) {
    return hm;
  }
  if (d.getFullYear() === now.getFullYear()) {
    return `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hm}`;
  }
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The day a message was written, for the separators between days: "Today", "Yesterday", "Monday, November 24". */
export function dayLabel(ts) {
  const d = new Date(ts);
  const today = new Date();
  const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
  if (d.toDateString() === today.toDateString()) {
    return "Today";
  }
  if (d.toDateString() === yesterday.toDateString()) {
    return "Yesterday";
  }
  const options = { weekday: "long", month: "long", day: "numeric" };
  if (d.getFullYear() !== today.getFullYear()) {
    options.year = "numeric";
  }
  return d.toLocaleDateString(undefined, options);
}

/**
 * The initials of a name, for its avatar: the first letters (or digits) of its first two words, "LS"
 * for "Li Si", "P" for "phones 📱"; one character where letters have no case ("读" for "读书会 book
 * club"); the first character of a name without letters.
 */
export function initials(name) {
  const text = String(name).trim();
  const firsts = text.split(/\s+/).map((w) => w.match(/[\p{L}\p{N}]/u)).filter(Boolean).map((m) => m[0]);
  if (!firsts.length) {
    return Array.from(text)[0] || "?"; // by code points: an emoji is not cut in half
  }
  const cased = (c) => c.toUpperCase() !== c.toLowerCase();
  return (cased(firsts[0]) ? firsts.slice(0, 2).join("") : firsts[0]).toUpperCase();
}

export function fullTime(ts) {
  return new Date(ts).toLocaleString();
}

/** A button that acts on its second click within 4 s (leaving a group, removing a friend). */
export function confirmTwice(button, question, action) {
  const label = button.textContent;
  let armed = null;
  const disarm = () => {
    clearTimeout(armed);
    armed = null;
    button.textContent = label;
    button.classList.remove("armed");
  };
  button.addEventListener("click", () => {
    if (armed === null) {
      button.textContent = question;
      button.classList.add("armed");
      armed = setTimeout(disarm, 4000);
      return;
    }
    disarm();
    action();
  });
  button.addEventListener("blur", () => { if (armed !== null) { setTimeout(disarm, 200); } });
}

/**
 * Rebuilds a list without losing the keyboard's place: if an item of `list` had the focus, the item
 * with the same data-`key` value has it again afterwards.
 */
export function rebuildKeepingFocus(list, key, rebuild) {
  const active = document.activeElement;
  const had = active && list.contains(active) ? active.dataset[key] : undefined;
  rebuild();
  if (had !== undefined) {
    const again = [...list.querySelectorAll("[data-" + key + "]")].find((e) => e.dataset[key] === had);
    if (again) {
      again.focus();
    }
  }
}
