// Tag suggestions of the contact page as an ARIA combobox (templates/contacts/detail.html,
// tag-form): ArrowDown/ArrowUp highlight a suggestion, Enter adds the highlighted one (its
// id goes in the form's tag_id), Escape closes the list; a click adds one too. Listeners sit
// on the document, so they keep working when htmx swaps the form or its suggestions.
(() => {
  if (window.acdashTagSuggest) return;
  window.acdashTagSuggest = true;

  const inputOf = (element) => element.closest("form")?.querySelector("[data-tag-suggest]");
  const listOf = (input) => document.getElementById(input.getAttribute("aria-controls"));
  const options = (list) => [...list.querySelectorAll("[role=option]")];

  const highlight = (input, list, option) => {
    for (const each of options(list)) each.setAttribute("aria-selected", String(each === option));
    if (option) {
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  };

  const show = (input, list, open) => {
    list.hidden = !open;
    input.setAttribute("aria-expanded", String(open && options(list).length > 0));
    if (!open) highlight(input, list, null);
  };

  const pick = (input, option) => {
    const form = input.closest("form");
    form.querySelector("input[name=tag_id]").value = option.dataset.tagId;
    input.value = option.dataset.tagName;
    show(input, listOf(input), false);
    form.requestSubmit();
  };

  document.addEventListener("keydown", (event) => {
    const input = event.target.closest?.("[data-tag-suggest]");
    if (!input) return;
    const list = listOf(input);
    const all = options(list);
    const current = all.findIndex((o) => o.getAttribute("aria-selected") === "true");
    if ((event.key === "ArrowDown" || event.key === "ArrowUp") && all.length) {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      const start = step > 0 ? -1 : all.length;
      const next = (((current < 0 ? start : current) + step) % all.length + all.length) % all.length;
      show(input, list, true);
      highlight(input, list, all[next]);
    } else if (event.key === "Enter" && current >= 0 && !list.hidden) {
      event.preventDefault();
      pick(input, all[current]);
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();
      show(input, list, false);
    }
  });

  // Typing again means a name, not the suggestion picked before.
  document.addEventListener("input", (event) => {
    const input = event.target.closest?.("[data-tag-suggest]");
    if (input) input.closest("form").querySelector("input[name=tag_id]").value = "";
  });

  document.addEventListener("click", (event) => {
    const option = event.target.closest?.("[data-tag-options] [role=option]");
    if (option) pick(inputOf(option), option);
  });

  // New suggestions arrived: show them, none highlighted yet.
  document.addEventListener("htmx:afterSwap", (event) => {
    const list = event.detail.target;
    if (!list?.matches?.("[data-tag-options]")) return;
    const input = inputOf(list);
    if (input) show(input, list, list.children.length > 0);
  });
})();
