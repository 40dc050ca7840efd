// Row selection of the contact, deal and task lists, for bulk actions (templates/jobs/toolbar.html).
// The checkboxes belong to the toolbar's form (form="bulk-form"), so ticked ids submit with it;
// "select all matching" sends the list's query instead (the server runs the filter again).
// Everything is read from the DOM, so the state follows htmx swaps of the results by itself.
(() => {
  "use strict";
  const boxes = () => [...document.querySelectorAll('input[type="checkbox"][form="bulk-form"]')];
  let last = null; // the row checkbox clicked last: the start of a shift-click range

  function update() {
    const form = document.getElementById("bulk-form");
    if (!form) return;
    const all = form.dataset.mode === "all";
    const rows = boxes();
    const ticked = rows.filter((box) => box.checked).length;
    const total = Number(form.dataset.total || 0);
    const active = all || ticked > 0;
    form.classList.toggle("active", active); // the bar sticks to the screen's bottom then
    form.querySelector("[data-bulk-controls]").hidden = !active;
    form.querySelector("[data-bulk-count]").textContent = all
      ? `All ${total} matching the filter`
      : `${ticked} of ${rows.length} on this page`;
    form.querySelector("[data-bulk-query]").disabled = !all;
    rows.forEach((box) => { box.disabled = all; if (all) box.checked = true; });
    const more = form.querySelector("[data-bulk-all]");
    more.hidden = all || ticked < rows.length || total <= rows.length;
    const page = document.querySelector("[data-select-page]");
    if (page) {
      page.checked = rows.length > 0 && ticked === rows.length;
      page.indeterminate = ticked > 0 && ticked < rows.length;
      page.disabled = all;
    }
  }

  document.addEventListener("click", (event) => {
    const box = event.target.closest('input[type="checkbox"][form="bulk-form"]');
    if (box) {
      const rows = boxes();
      if (event.shiftKey && last && rows.includes(last)) {
        const [from, to] = [rows.indexOf(last), rows.indexOf(box)].sort((a, b) => a - b);
        rows.slice(from, to + 1).forEach((row) => { row.checked = box.checked; });
      }
      last = box;
      update();
      return;
    }
    const form = document.getElementById("bulk-form");
    if (event.target.closest("[data-bulk-all]")) {
      form.dataset.mode = "all";
      update();
      form.querySelector("[data-bulk-clear]").focus(); // the button pressed is hidden now
    } else if (event.target.closest("[data-bulk-clear]")) {
      delete form.dataset.mode;
      boxes().forEach((row) => { row.checked = false; });
      update();
      document.querySelector("[data-select-page]")?.focus();
    }
  });

  document.addEventListener("change", (event) => {
    if (event.target.matches("[data-select-page]")) {
      boxes().forEach((row) => { row.checked = event.target.checked; });
      update();
    } else if (event.target.matches('input[form="bulk-form"]')) {
      update(); // the keyboard (Space) ticks a box without a click's shift range
    }
  });

  document.addEventListener("htmx:afterSettle", update);
  document.addEventListener("DOMContentLoaded", update);
  // Back to a list the browser kept (bfcache): its boxes may still be ticked.
  window.addEventListener("pageshow", update);
})();
