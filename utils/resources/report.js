// Highlighted article: a tooltip on hover or keyboard focus, and a link into the statements table.
// Everything from the article is handled as text (textContent, dataset): no markup is ever built
// from it, and the page's Content-Security-Policy only lets this script and the table's run.
(() => {
  if (window.eoReportReady) return;
  window.eoReportReady = true;
  const tip = () => document.getElementById("eo-tip");
  const markOf = (event) => event.target.closest && event.target.closest(".eo-hl");

  function showTip(mark) {
    const box = tip();
    if (!box) return;
    box.textContent = "";
    for (const line of mark.dataset.tip.split(" | ")) {
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
    search.value = id;
    search.dispatchEvent(new Event("input", { bubbles: true }));
    container.scrollIntoView({ behavior: "smooth", block: "start" });
  }

  // The table's 'in article' cells hold a statement id as text: make each a link to its highlight.
  function linkCells() {
    for (const cell of document.querySelectorAll("td.eo-link-cell:not([data-linked])")) {
      const id = cell.textContent;
      const link = document.createElement("a");
      link.href = "#stmt-" + encodeURIComponent(id);
      link.dataset.id = id;
      link.textContent = "show";
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

  new MutationObserver(linkCells).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("mouseover", (e) => { const m = markOf(e); if (m) showTip(m); });
  document.addEventListener("mouseout", (e) => { if (markOf(e)) hideTip(); });
  document.addEventListener("focusin", (e) => { const m = markOf(e); if (m) showTip(m); else hideTip(); });
  document.addEventListener("click", (e) => {
    const m = markOf(e);
    if (m) { e.preventDefault(); showInTable(m.dataset.id); return; }
    const link = e.target.closest && e.target.closest("td.eo-link-cell a");
    if (link) { e.preventDefault(); showInArticle(link.dataset.id); }
  });
  document.addEventListener("keydown", (e) => {
    const m = markOf(e);
    if (m && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); showInTable(m.dataset.id); }
    if (e.key === "Escape") hideTip();
  });
})();
