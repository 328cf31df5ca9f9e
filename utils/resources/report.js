// Highlighted article: a tooltip on hover or keyboard focus, and a link into the statements table.
// Everything from the article is handled as text (textContent, dataset): no markup is ever built
// from it, and the page's Content-Security-Policy only lets this script and the table's run.
// What a statement shows (tooltip lines, details) comes from utils.report.StatementView as JSON
// lists: this script places the pieces and never splits text to find them.
(() => {
  if (window.eoReportReady) return;
  window.eoReportReady = true;
  const tip = () => document.getElementById("eo-tip");
  const markOf = (event) => event.target.closest && event.target.closest(".eo-hl");

  function showTip(mark) {
    const box = tip();
    if (!box) return;
    box.textContent = "";
    for (const line of parsed(mark.dataset.tip, [])) {
      const row = document.createElement("div");
      row.textContent = line;
      box.appendChild(row);
    }
    const rect = mark.getBoundingClientRect();
    const width = document.documentElement.clientWidth;
    box.style.top = `${window.scrollY + rect.bottom + 6}px`;
    box.style.left = `${Math.max(8, Math.min(window.scrollX + rect.left, window.scrollX + width - 340))}px`;
    box.hidden = false;
  }

  // JSON written by the report's Python; anything else (never expected) counts as missing.
  function parsed(text, fallback) {
    try {
      return JSON.parse(text);
    } catch {
      return fallback;
    }
  }

  function hideTip() {
    const box = tip();
    if (box) box.hidden = true;
  }

  // Put the statement id into the table's search box: DataTables filters on its input event.
  function showInTable(id) {
    const wrap = document.querySelector(".eo-article-wrap");
    const table = wrap && document.getElementById(wrap.dataset.table);
    const container = table && table.closest(".dt-container");
    const search = container && container.querySelector(".dt-search input");
    if (!search) return;
    setSearch(search, id);
    const clear = document.querySelector(".eo-clear-filter");
    if (clear) {
      clear.textContent = `Showing ${id} only. Clear filter: show all statements`;
      clear.hidden = false;
    }
    container.scrollIntoView({ behavior: "smooth", block: "start" });
  }

  function setSearch(search, value) {
    search.value = value;
    search.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function clearFilter(button) {
    const search = document.querySelector(".dt-container .dt-search input");
    if (search) setSearch(search, "");
    button.hidden = true;
  }

  // Each cell carries its column's name (shown as a label when rows become cards on a phone),
  // a nested statement's row is marked so it sits indented under its parent, and a topic's
  // shortened header shows the full proposition (from the topic key) as its tooltip.
  function dressTable() {
    const table = document.getElementById("eo-statements");
    if (!table) return;
    const headers = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
    const full = new Map();
    for (const item of document.querySelectorAll(".eo-topic-key div")) {
      full.set(item.querySelector("dt").textContent, item.querySelector("dd").textContent);
    }
    for (const th of table.querySelectorAll("thead th:not([data-dressed])")) {
      const proposition = full.get(th.textContent.trim());
      if (proposition) th.title = proposition;
      th.dataset.dressed = "";
    }
    for (const row of table.querySelectorAll("tbody tr:not([data-dressed])")) {
      [...row.cells].forEach((cell, i) => {
        cell.dataset.label = headers[i] || "";
        const text = cell.textContent;
        if (text === "not addressed" || text === "suggested: not addressed") cell.classList.add("eo-na");
        if (text.startsWith("suggested: ")) cell.classList.add("eo-suggested");
      });
      const details = row.querySelector("td.eo-details-cell");
      const about = details ? parsed(details.textContent, null) : null;
      if (about) {
        foldDetails(details, about.parts);
        if (about.parent) row.classList.add("eo-child");
      }
      row.dataset.dressed = "";
    }
  }

  // A details cell (role, affiliation, cue, ...) folds behind its first part; a click unfolds it.
  function foldDetails(cell, parts) {
    const [first, ...rest] = parts;
    cell.textContent = parts.join(" · ");
    if (!rest.length) return;
    const fold = document.createElement("details");
    const summary = document.createElement("summary");
    summary.textContent = first;
    const body = document.createElement("div");
    body.textContent = rest.join(" · ");
    fold.append(summary, body);
    cell.textContent = "";
    cell.appendChild(fold);
  }

  // The table's id cells hold a statement id as text: make each a link to its highlight.
  function linkCells() {
    for (const cell of document.querySelectorAll("td.eo-link-cell:not([data-linked])")) {
      const id = cell.textContent;
      const link = document.createElement("a");
      link.href = "#stmt-" + encodeURIComponent(id);
      link.dataset.id = id;
      link.textContent = id;
      link.title = "show in the article";
      cell.textContent = "";
      cell.appendChild(link);
      cell.dataset.linked = "";
    }
  }

  function showInArticle(id) {
    const mark = document.getElementById("stmt-" + id);
    if (!mark) return;
    mark.scrollIntoView({ behavior: "smooth", block: "center" });
    mark.focus({ preventScroll: true });
  }

  const dress = () => { linkCells(); dressTable(); };
  new MutationObserver(dress).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("mouseover", (e) => { const m = markOf(e); if (m) showTip(m); });
  document.addEventListener("mouseout", (e) => { if (markOf(e)) hideTip(); });
  document.addEventListener("focusin", (e) => { const m = markOf(e); if (m) showTip(m); else hideTip(); });
  document.addEventListener("click", (e) => {
    const m = markOf(e);
    if (m) { e.preventDefault(); showInTable(m.dataset.id); return; }
    const link = e.target.closest && e.target.closest("td.eo-link-cell a");
    if (link) { e.preventDefault(); showInArticle(link.dataset.id); return; }
    const clear = e.target.closest && e.target.closest(".eo-clear-filter");
    if (clear) clearFilter(clear);
  });
  document.addEventListener("input", (e) => {
    const clear = document.querySelector(".eo-clear-filter");
    if (clear && e.target.matches && e.target.matches(".dt-search input") && !e.target.value) clear.hidden = true;
  });
  document.addEventListener("keydown", (e) => {
    const m = markOf(e);
    if (m && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); showInTable(m.dataset.id); }
    if (e.key === "Escape") hideTip();
  });
})();
