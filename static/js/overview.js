// The overview (templates/overview/overview.html): its sort headers are one Tab stop, a
// roving tabindex that Left, Right, Home and End move, so the first account stays a few Tab
// presses from the search box with seven sortable columns.

const SORT_KEYS = { ArrowRight: 1, ArrowLeft: -1 };

function roveSortHeaders(root) {
  const heads = root.matches && root.matches(".accounts-table thead") ? [root] : root.querySelectorAll(".accounts-table thead");
  for (const head of heads) {
    const links = [...head.querySelectorAll("a.sort")];
    if (!links.length) continue;
    const choose = (chosen) => links.forEach((link) => { link.tabIndex = link === chosen ? 0 : -1; });
    choose(links.find((link) => link.closest("th").getAttribute("aria-sort") !== "none") || links[0]);
    head.addEventListener("keydown", (event) => {
      const index = links.indexOf(event.target);
      if (index < 0) return;
      let next;
      if (event.key in SORT_KEYS) next = links[(index + SORT_KEYS[event.key] + links.length) % links.length];
      else if (event.key === "Home") next = links[0];
      else if (event.key === "End") next = links[links.length - 1];
      else return;
      event.preventDefault();
      choose(next);
      next.focus();
    });
  }
}

htmx.onLoad(roveSortHeaders);
