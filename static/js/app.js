// Account switcher: opens with click or Enter, filters as you type, Escape closes.
document.addEventListener("DOMContentLoaded", () => {
  for (const switcher of document.querySelectorAll("[data-switcher]")) {
    const toggle = switcher.querySelector(".switcher-toggle");
    const menu = switcher.querySelector(".switcher-menu");
    const filter = menu.querySelector("input");
    const close = () => { menu.hidden = true; toggle.setAttribute("aria-expanded", "false"); };
    toggle.addEventListener("click", () => {
      menu.hidden = !menu.hidden;
      toggle.setAttribute("aria-expanded", String(!menu.hidden));
      if (!menu.hidden) filter.focus();
    });
    filter.addEventListener("input", () => {
      const needle = filter.value.toLowerCase();
      for (const item of menu.querySelectorAll("li")) {
        item.hidden = !item.textContent.toLowerCase().includes(needle);
      }
    });
    filter.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        const first = [...menu.querySelectorAll("li")].find((li) => !li.hidden);
        if (first) { event.preventDefault(); first.querySelector("a").click(); }
      }
    });
    switcher.addEventListener("keydown", (event) => {
      if (event.key === "Escape") { close(); toggle.focus(); }
    });
    document.addEventListener("click", (event) => { if (!switcher.contains(event.target)) close(); });
  }
  // Toasts fade after a while; they stay readable to screen readers via aria-live.
  setTimeout(() => document.querySelectorAll(".toast").forEach((t) => t.classList.add("fade")), 6000);
});
