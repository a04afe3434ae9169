// Site-wide enhancements, loaded on every page (no inline script anywhere).
// 1. Tables read as cards on a phone: each cell is labelled with its column's heading, which the
//    stylesheet shows beside the value below 600 px. Tables marked .keep (or without a header) stay.
(function () {
  document.querySelectorAll(".table-wrap > table:not(.keep)").forEach(table => {
    if (!table.tHead) return;
    // Every column's heading, with the heading of its group when the header has two rows.
    const labels = [];
    const taken = [];  // columns filled by a heading spanning rows from above
    Array.from(table.tHead.rows).forEach((row, r) => {
      let column = 0;
      for (const th of row.cells) {
        while (taken[r] && taken[r][column]) column++;
        for (let i = 0; i < (th.colSpan || 1); i++, column++) {
          const text = th.textContent.trim();
          labels[column] = labels[column] && labels[column] !== text ? labels[column] + " · " + text : text;
          for (let down = 1; down < (th.rowSpan || 1); down++) {
            (taken[r + down] = taken[r + down] || [])[column] = true;
          }
        }
      }
    });
    for (const body of table.tBodies) {
      for (const row of body.rows) {
        let column = 0;
        for (const cell of row.cells) {
          // A cell across several columns (a group's heading row) is a heading of its own: no label.
          if (!cell.hasAttribute("data-label") && labels[column] && (cell.colSpan || 1) === 1) {
            cell.setAttribute("data-label", labels[column]);
          }
          column += cell.colSpan || 1;
        }
      }
    }
    table.classList.add("stacks");
  });
})();
// 2. On a phone the main menu folds behind a Menu button (without script it simply stays open).
(function () {
  const button = document.querySelector(".menu-button");
  const nav = document.getElementById("main-nav");
  if (!button || !nav) return;
  document.documentElement.classList.add("has-menu");
  button.hidden = false;
  button.addEventListener("click", () => {
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    nav.classList.toggle("open", open);
  });
})();
// 3. Long lists to choose several from (NACE sectors) get a filter box that matches either language.
(function () {
  document.querySelectorAll("select[multiple][data-filterable]").forEach(select => {
    const box = document.createElement("input");
    box.type = "search";
    box.className = "list-filter";
    const label = document.querySelector(`label[for="${select.id}"]`);
    box.setAttribute("aria-label", (label ? label.textContent.trim() + ": " : "") + (document.documentElement.lang === "zh-Hant" ? "篩選" : "filter"));
    box.placeholder = document.documentElement.lang === "zh-Hant" ? "輸入以篩選（中文或英文）" : "Type to filter (English or Chinese)";
    box.setAttribute("aria-controls", select.id);
    select.before(box);
    const chosen = document.createElement("p");
    chosen.className = "meta chosen";
    chosen.setAttribute("aria-live", "polite");
    select.after(chosen);
    const showChosen = () => {
      const picked = Array.from(select.selectedOptions).map(o => o.textContent.trim());
      chosen.textContent = picked.length ? (document.documentElement.lang === "zh-Hant" ? "已選：" : "Chosen: ") + picked.join("; ") : "";
    };
    box.addEventListener("input", () => {
      const words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
      for (const option of select.options) {
        const text = (option.textContent + " " + (option.dataset.other || "")).toLowerCase();
        option.hidden = !option.selected && !words.every(w => text.includes(w));
      }
    });
    select.addEventListener("change", showChosen);
    showChosen();
  });
})();

// 5. On a phone the directory's results come first: its further filters fold away unless one is in use.
(function () {
  var more = document.getElementById("more-filters");
  if (more && window.matchMedia("(max-width: 760px)").matches && !more.hasAttribute("data-active")) {
    more.open = false;
  }
})();

// Buttons that print the page (the one-page briefing).
document.querySelectorAll("button[data-print]").forEach(button => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
