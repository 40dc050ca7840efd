// acdash's layout behaviour: focus after htmx swaps, toasts (with Retry for failed requests),
// the account switcher, the side navigation's menu button at phone width, and the "/" key.
// Loaded in <head> without defer, so the "js" class is set before the page is drawn.
document.documentElement.classList.add("js");

const TYPING = "input, textarea, select, [contenteditable='true']";
const USER_EVENTS = new Set(["click", "submit", "change", "input", "keyup", "keydown", "search"]);

// ---- Focus after a swap -------------------------------------------------------------------
// One rule for every htmx swap a person caused: focus what the answer marks with
// data-focus-after-swap, else the updated region's first heading, else the control used,
// else the region itself; never <body>. Background swaps (hx-trigger="load"), a person
// typing in a control outside the region, and focus already inside the new content
// (autofocus) stay where they are.

const oobSwapped = new WeakSet();
const settled = new WeakSet(); // by request (its XMLHttpRequest)
const hadFocus = new WeakMap(); // request -> whether focus was in the region it replaces

function focusElement(element) {
  if (!element.matches("a[href], button, input, select, textarea, [tabindex]")) {
    element.setAttribute("tabindex", "-1");
  }
  element.focus({ preventScroll: false });
}

function swappedRegion(detail, settledElement) {
  const target = detail.target;
  if (target && target.isConnected) return target; // innerHTML and other inner swaps
  if (target && target.id) {
    const renewed = document.getElementById(target.id); // outerHTML: the new element
    if (renewed) return renewed;
  }
  return oobSwapped.has(settledElement) ? null : settledElement;
}

function swapStyle(detail) {
  const header = detail.xhr && detail.xhr.getResponseHeader("HX-Reswap");
  const owner = detail.elt && detail.elt.closest && detail.elt.closest("[hx-swap]");
  return header || (owner && owner.getAttribute("hx-swap")) || "innerHTML";
}

document.addEventListener("htmx:beforeSwap", (event) => {
  const target = event.detail.target;
  hadFocus.set(event.detail.xhr, Boolean(target && target.contains(document.activeElement)));
});

document.addEventListener("htmx:oobAfterSwap", (event) => oobSwapped.add(event.target));

document.addEventListener("htmx:afterSettle", (event) => {
  const detail = event.detail;
  if (!detail.xhr || settled.has(detail.xhr)) return; // one event per settled element
  settled.add(detail.xhr);
  if (swapStyle(detail).startsWith("none")) return;
  const region = swappedRegion(detail, event.target);
  if (!region) return;
  const trigger = detail.requestConfig && detail.requestConfig.triggeringEvent;
  if (!hadFocus.get(detail.xhr) && !(trigger && USER_EVENTS.has(trigger.type))) return;
  const active = document.activeElement;
  const focusKept = active && active !== document.body && active.isConnected;
  if (focusKept && !region.contains(active) && active.matches(TYPING)) return;
  // Already inside the new content (autofocus, or the person moved on): leave it there.
  if (focusKept && region.contains(active)) return;
  const marked = region.matches("[data-focus-after-swap]")
    ? region
    : region.querySelector("[data-focus-after-swap]");
  if (marked) return focusElement(marked);
  const heading = region.matches("h1, h2, h3, h4, h5, h6")
    ? region
    : region.querySelector("h1, h2, h3, h4, h5, h6");
  if (heading) return focusElement(heading);
  if (detail.elt && detail.elt.isConnected && detail.elt !== document.body) {
    return focusElement(detail.elt);
  }
  focusElement(region);
});

// ---- Toasts -------------------------------------------------------------------------------
// Every toast gets a close button; Escape closes the newest; success toasts leave by
// themselves after a while (not while pointed at or focused); the region moves to
// whichever place covers no form: bottom right, top right, or in the page's flow.

const TOAST_SECONDS = 8;

function toastRegion() {
  return document.getElementById("toasts");
}

function dismissToast(toast) {
  const hadFocus = toast.contains(document.activeElement);
  keepPageStill(toastRegion(), () => toast.remove());
  if (hadFocus) focusElement(document.querySelector("main h1") || document.getElementById("main"));
  placeToasts();
}

function overlaps(a, b) {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

function coversAForm(region) {
  const box = region.getBoundingClientRect();
  return [...document.querySelectorAll("form, [role=dialog]")].some((form) => {
    const other = form.getBoundingClientRect();
    return !region.contains(form) && other.width > 0 && overlaps(box, other);
  });
}

// In the page's flow the region pushes what follows it down: when that is above the window,
// scroll by as much, so the page does not move under the reader's pointer mid-click.
function keepPageStill(region, change) {
  const next = region.nextElementSibling;
  const before = next ? next.getBoundingClientRect().top : 0;
  change();
  if (next && before < 0) window.scrollBy(0, next.getBoundingClientRect().top - before);
}

function placeToasts() {
  const region = toastRegion();
  if (!region) return;
  if (!region.querySelector(".toast")) {
    keepPageStill(region, () => delete region.dataset.place);
    return;
  }
  for (const place of ["bottom", "top", "inline"]) {
    keepPageStill(region, () => (region.dataset.place = place));
    if (place === "inline" || !coversAForm(region)) return;
  }
}

function enhanceToast(toast) {
  if (toast.querySelector(".toast-close")) return;
  toast.classList.remove("fade", "toast-live"); // this script decides when a toast leaves
  const close = document.createElement("button");
  close.type = "button";
  close.className = "toast-close";
  close.setAttribute("aria-label", "Dismiss");
  close.textContent = "×";
  close.addEventListener("click", () => dismissToast(toast));
  toast.append(close);
  if (!toast.classList.contains("toast-error")) {
    const leave = () => {
      if (toast.matches(":hover, :focus-within")) setTimeout(leave, TOAST_SECONDS * 1000);
      else if (toast.isConnected) dismissToast(toast);
    };
    setTimeout(leave, TOAST_SECONDS * 1000);
  }
}

function showToast(message, { level = "error", retry = null } = {}) {
  const toast = document.createElement("div");
  toast.className = `toast toast-${level}`;
  toast.setAttribute("role", level === "error" ? "alert" : "status");
  const text = document.createElement("span");
  text.textContent = message;
  toast.append(text);
  if (retry) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "toast-action";
    button.textContent = "Retry";
    button.addEventListener("click", (event) => {
      toast.remove();
      placeToasts();
      retry(event);
    });
    toast.append(button);
  }
  toastRegion().append(toast);
  return toast;
}

let placing = false;
function placeSoon() {
  if (placing) return;
  placing = true;
  requestAnimationFrame(() => {
    placing = false;
    placeToasts();
  });
}
// Once in the page's flow, scrolling leaves the toasts there: moving them out and back
// in would shift the page under the reader.
window.addEventListener(
  "scroll",
  () => toastRegion()?.dataset.place !== "inline" && placeSoon(),
  { passive: true },
);
window.addEventListener("resize", placeSoon);
document.addEventListener("htmx:afterSettle", placeSoon);

document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape" || event.defaultPrevented) return;
  const toasts = [...(toastRegion()?.querySelectorAll(".toast") || [])];
  if (!toasts.length) return;
  const inToast = toasts.find((toast) => toast.contains(event.target));
  // Escape inside a form or the switcher belongs to them (cancel an editor, close a menu).
  if (!inToast && event.target.closest && event.target.closest("form, [data-switcher]")) return;
  dismissToast(inToast || toasts[toasts.length - 1]);
});

// ---- Failed htmx requests -------------------------------------------------------------------
// Network down, timeout or an error status: a toast says so, and Retry sends the same
// request again. Error answers are never swapped in (htmx's default for 4xx/5xx).

function retryRequest(detail) {
  return (event) => {
    const config = detail.requestConfig || {};
    const source = detail.elt && detail.elt.isConnected ? detail.elt : null;
    const target = detail.target && detail.target.isConnected ? detail.target : null;
    if (!config.path || !(source || target)) return window.location.reload();
    const context = { event };
    if (source) context.source = source;
    if (target) context.target = target;
    htmx.ajax(config.verb || "get", config.path, context);
  };
}

function statusMessage(status) {
  if (status === 403) return "You may not do that here (403).";
  if (status === 404) return "That is no longer there (404): reload the page.";
  if (status === 429) return "Too many requests: wait a moment and retry.";
  if (status >= 500) return `The server failed to answer (${status}).`;
  return `The request was refused (${status}).`;
}

document.addEventListener("htmx:responseError", (event) => {
  const status = event.detail.xhr.status;
  const retriable = status >= 500 || status === 429;
  showToast(statusMessage(status), { retry: retriable ? retryRequest(event.detail) : null });
});
document.addEventListener("htmx:sendError", (event) => {
  showToast("Could not reach acdash: check your connection.", {
    retry: retryRequest(event.detail),
  });
});
document.addEventListener("htmx:timeout", (event) => {
  showToast("acdash took too long to answer.", { retry: retryRequest(event.detail) });
});

// A page that no longer has the region an answer was meant for: say so, offer a reload.
for (const name of ["htmx:targetError", "htmx:swapError"]) {
  document.addEventListener(name, () => {
    showToast("This page is out of date.", { retry: () => window.location.reload() });
  });
}

// A session that expired answers htmx with the login page: go there instead of swapping it in.
document.addEventListener("htmx:beforeSwap", (event) => {
  const login = document.body.dataset.loginUrl;
  const landed = event.detail.xhr.responseURL;
  if (login && landed && new URL(landed).pathname === login) {
    event.detail.shouldSwap = false;
    window.location.assign(landed);
  }
});

// ---- Account switcher (menu button with a filter) --------------------------------------------

function setUpSwitcher(switcher) {
  const toggle = switcher.querySelector(".switcher-toggle");
  const popup = switcher.querySelector(".switcher-menu");
  const filter = popup.querySelector("input");
  const items = () => [...popup.querySelectorAll("[role=menuitem]")].filter((a) => !a.closest("li").hidden);
  const open = (focusItem) => {
    popup.hidden = false;
    toggle.setAttribute("aria-expanded", "true");
    const list = items();
    const current = list.find((a) => a.getAttribute("aria-current")) || list[0];
    if (focusItem === "last") list[list.length - 1]?.focus();
    else if (focusItem) current?.focus();
    else filter.focus();
  };
  const close = (refocus) => {
    if (popup.hidden) return;
    popup.hidden = true;
    toggle.setAttribute("aria-expanded", "false");
    if (refocus) toggle.focus();
  };
  const move = (from, step) => {
    const list = items();
    if (!list.length) return;
    const index = list.indexOf(from);
    list[(index + step + list.length) % list.length].focus();
  };
  toggle.addEventListener("click", () => (popup.hidden ? open(false) : close(false)));
  toggle.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      open(event.key === "ArrowUp" ? "last" : true);
    }
  });
  filter.addEventListener("input", () => {
    const needle = filter.value.toLowerCase();
    for (const item of popup.querySelectorAll("li")) {
      const text = `${item.textContent} ${item.dataset.filter || ""}`; // name, and slug
      item.hidden = !text.toLowerCase().includes(needle);
    }
  });
  filter.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      items()[0]?.focus();
    } else if (event.key === "Enter") {
      event.preventDefault();
      items()[0]?.click();
    }
  });
  popup.addEventListener("keydown", (event) => {
    const item = event.target.closest("[role=menuitem]");
    if (!item) return;
    const list = items();
    if (event.key === "ArrowDown") move(item, 1);
    else if (event.key === "ArrowUp") {
      if (item === list[0]) filter.focus();
      else move(item, -1);
    } else if (event.key === "Home") list[0]?.focus();
    else if (event.key === "End") list[list.length - 1]?.focus();
    else if (event.key.length === 1 && !event.ctrlKey && !event.metaKey) {
      filter.focus(); // the typed character lands in the filter
      return;
    } else return;
    event.preventDefault();
  });
  switcher.addEventListener("focusout", (event) => {
    if (!switcher.contains(event.relatedTarget)) close(false);
  });
  switcher.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !popup.hidden) {
      event.preventDefault();
      close(true);
    }
  });
  document.addEventListener("click", (event) => {
    if (!switcher.contains(event.target)) close(false);
  });
}

// ---- Side navigation at phone width -----------------------------------------------------------

function setUpSidenav(nav) {
  const toggle = nav.querySelector(".sidenav-toggle");
  toggle.addEventListener("click", () => {
    const opened = nav.classList.toggle("open");
    toggle.setAttribute("aria-expanded", String(opened));
  });
}

// ---- "/" focuses the global search ------------------------------------------------------------

document.addEventListener("keydown", (event) => {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.target.closest && event.target.closest(TYPING)) return;
  const search = document.getElementById("global-q");
  if (!search) return;
  event.preventDefault();
  search.focus();
  search.select();
});

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-switcher]").forEach(setUpSwitcher);
  document.querySelectorAll("[data-sidenav]").forEach(setUpSidenav);
  const region = toastRegion();
  if (!region) return;
  const enhance = () => {
    region.querySelectorAll(".toast").forEach(enhanceToast);
    placeToasts();
  };
  new MutationObserver(enhance).observe(region, { childList: true, subtree: true });
  enhance();
});

// ---- What the Content-Security-Policy keeps out of the markup ------------------------------
// No style attributes: a stage's colour and a bar's width come as data-* attributes, set here
// through the CSSOM (which the policy allows). No inline handlers: a form's data-confirm asks
// before it is sent. No eval (htmx trigger filters): Escape inside a form is announced to it
// as "editor-escape", which an editor's Cancel button listens for.

function applyDataStyles(root) {
  if (!root.querySelectorAll) return;
  const all = (selector) => [...(root.matches?.(selector) ? [root] : []), ...root.querySelectorAll(selector)];
  all("[data-stage-color]").forEach((el) => el.style.setProperty("--stage-color", `#${el.dataset.stageColor}`));
  all("[data-width]").forEach((el) => { el.style.width = `${el.dataset.width}%`; });
}
document.addEventListener("DOMContentLoaded", () => applyDataStyles(document));
document.addEventListener("htmx:load", (event) => applyDataStyles(event.detail.elt));
// Also right after a swap, before the browser paints it (htmx:load comes after settling).
document.addEventListener("htmx:afterSwap", () => applyDataStyles(document));

document.addEventListener("submit", (event) => {
  const question = event.target.dataset && event.target.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
}, true);

document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape" || event.defaultPrevented) return;
  const form = event.target.closest && event.target.closest("form");
  if (form) form.dispatchEvent(new CustomEvent("editor-escape"));
});
