// Deal board: drag a card to another column, or use its "Move to…" menu. The card moves at
// once (with the columns' counts and values); if the server does not confirm the move, it
// goes back where it was and a toast says why.
(() => {
  const board = () => document.getElementById("board-columns");

  const money = (cents, currency) =>
    `${currency} ${cents < 0 ? "-" : ""}${(Math.abs(cents) / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

  function toast(message, level) {
    const box = document.getElementById("toasts");
    if (!box) return;
    const item = document.createElement("div");
    item.className = `toast toast-${level} toast-live`;
    item.setAttribute("role", level === "error" ? "alert" : "status");
    item.textContent = message;
    box.append(item);
  }

  // Add a card's count and value (sign: +1 or -1) to its column's figures.
  function tally(column, card, sign) {
    const count = column.querySelector("[data-count]");
    const value = column.querySelector("[data-value-cents]");
    const n = Number(count.dataset.count) + sign;
    count.dataset.count = n;
    count.textContent = n;
    column.querySelector("[data-plural]").textContent = n === 1 ? "" : "s";
    // The column's "Show more" continues after the cards it holds now.
    const more = column.querySelector(".card-more [hx-get]");
    if (more && window.htmx) {
      const url = new URL(more.getAttribute("hx-get"), location.href);
      url.searchParams.set("offset", Math.max(0, Number(url.searchParams.get("offset")) + sign));
      more.setAttribute("hx-get", url.pathname + url.search);
      htmx.process(more);
    }
    if (card.dataset.currency === board().dataset.currency) {
      const cents = Number(value.dataset.valueCents) + sign * Number(card.dataset.valueCents);
      value.dataset.valueCents = cents;
      value.textContent = money(cents, board().dataset.currency);
    }
  }

  function place(card, column, before) {
    const list = column.querySelector(".cards");
    list.insertBefore(card, before && before.parentNode === list ? before : list.firstChild);
  }

  function selectStage(card, stageId) {
    for (const option of card.querySelectorAll(".move-form option")) {
      const here = option.value === String(stageId);
      option.disabled = here;
      option.selected = here;
    }
  }

  async function move(card, stageId) {
    const from = card.closest(".board-column");
    const to = board().querySelector(`.board-column[data-stage-id="${stageId}"]`);
    if (!from || !to || from === to) return;
    const form = card.querySelector(".move-form");
    const hadFocus = card.contains(document.activeElement) ? document.activeElement : null;
    const next = card.nextElementSibling;
    place(card, to);
    tally(from, card, -1);
    tally(to, card, +1);
    selectStage(card, stageId);
    card.classList.add("moving");
    hadFocus?.focus();
    const data = new FormData(form);
    data.set("stage", stageId);
    let answer = { ok: false, message: "The move could not be sent: check the connection." };
    try {
      const response = await fetch(form.action, {
        method: "POST", body: data, headers: { Accept: "application/json" }, credentials: "same-origin",
      });
      answer = await response.json().catch(() => ({ ok: false, message: `The server answered ${response.status}: nothing moved.` }));
      if (!response.ok) answer.ok = false;
    } catch { /* the message above */ }
    card.classList.remove("moving");
    if (answer.ok) {
      toast(answer.message, "success");
      return;
    }
    place(card, from, next);
    tally(to, card, -1);
    tally(from, card, +1);
    selectStage(card, from.dataset.stageId);
    hadFocus?.focus();
    toast(answer.message, "error");
  }

  // The "Move to…" menu (keyboard and pointer alike).
  document.addEventListener("submit", (event) => {
    const form = event.target.closest(".move-form");
    if (!form || !board()?.contains(form)) return;
    event.preventDefault();
    move(form.closest(".deal-card"), form.elements.stage.value);
  });

  // Dragging.
  let dragged = null;
  document.addEventListener("dragstart", (event) => {
    const card = event.target.closest?.(".deal-card[draggable]");
    if (!card) return;
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.dealId);
    card.classList.add("dragging");
  });
  document.addEventListener("dragend", () => {
    dragged?.classList.remove("dragging");
    dragged = null;
    document.querySelectorAll(".drop-target").forEach((c) => c.classList.remove("drop-target"));
  });
  document.addEventListener("dragover", (event) => {
    const column = event.target.closest?.(".board-column");
    if (!dragged || !column) return;
    event.preventDefault();
    document.querySelectorAll(".drop-target").forEach((c) => c !== column && c.classList.remove("drop-target"));
    column.classList.add("drop-target");
  });
  document.addEventListener("drop", (event) => {
    const column = event.target.closest?.(".board-column");
    if (!dragged || !column) return;
    event.preventDefault();
    const card = dragged;
    column.classList.remove("drop-target");
    move(card, column.dataset.stageId);
  });

  // Focus what an htmx swap asks for (the first of the cards "Show more" added).
  document.addEventListener("htmx:afterSwap", () => {
    const target = document.querySelector("[data-focus-after-swap]");
    if (target) { target.removeAttribute("data-focus-after-swap"); target.focus(); }
  });
})();
