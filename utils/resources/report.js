// Highlighted article: a tooltip on hover or keyboard focus, and a link into the statements table.
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

  document.addEventListener("mouseover", (e) => { const m = markOf(e); if (m) showTip(m); });
  document.addEventListener("mouseout", (e) => { if (markOf(e)) hideTip(); });
  document.addEventListener("focusin", (e) => { const m = markOf(e); if (m) showTip(m); else hideTip(); });
  document.addEventListener("click", (e) => {
    const m = markOf(e);
    if (m) { e.preventDefault(); showInTable(m.dataset.id); }
  });
  document.addEventListener("keydown", (e) => {
    const m = markOf(e);
    if (m && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); showInTable(m.dataset.id); }
    if (e.key === "Escape") hideTip();
  });
})();
