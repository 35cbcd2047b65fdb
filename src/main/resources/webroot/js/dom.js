// Building the page out of elements and text nodes: there is no way here to put a string into the
// page as HTML, so nothing a user wrote can ever become markup or script.

export function $(id) {
  return document.getElementById(id);
}

/**
 * el("li", { className, text, dataset: {…}, attrs: {…}, on: { click }, type }, ...children):
 * `text` becomes textContent, strings among the children become text nodes, null children are skipped.
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
