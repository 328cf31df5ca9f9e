// The review-and-tag workbench's front end (anywidget). It renders the state Python sends and
// sends actions back; every edit is made and saved in Python (utils/annotations.py).
// Article and table strings are hostile: they are only ever set with textContent.

const LABEL_KEYS = { "1": "favor", "2": "against", "3": "neutral", "4": "mixed", "0": "not addressed" };
const LABELS = ["favor", "against", "neutral", "mixed", "not addressed"];
const KEY_OF = Object.fromEntries(Object.entries(LABEL_KEYS).map(([k, v]) => [v, k]));

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "text") node.textContent = value;
    else if (name === "class") node.className = value;
    else if (value !== false && value !== null && value !== undefined) node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function fmt(value) {
  return value === null || value === undefined ? "–" : Number(value).toFixed(2);
}

// Offset in the article of a DOM point inside a paragraph element (data-start = its first character).
function articleOffset(container, node, offset) {
  let para = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  while (para && !para.hasAttribute("data-start")) para = para.parentElement;
  if (!para || !container.contains(para)) return null;
  const range = document.createRange();
  range.setStart(para, 0);
  range.setEnd(node, offset);
  return Number(para.getAttribute("data-start")) + range.toString().length;
}

function render({ model, el: host }) {
  const root = el("div", { class: "eo-wb", tabindex: "0", "data-lm-suppress-shortcuts": "true" });
  host.append(root);
  let topicIndex = 0;
  let lastCurrent = null;
  let version = 0; // counts redraws (tests wait on data-version)
  let editing = null; // "speaker" | "affiliation" | "rationale" | "topic" while a form is open

  const send = (action, extra = {}) => model.send({ action, ...extra });
  const state = () => model.get("state") || {};
  const current = () => (state().statements || []).find((s) => s.id === state().current);

  function selection() {
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    const pane = root.querySelector(".eo-article");
    const range = sel.getRangeAt(0);
    const start = articleOffset(pane, range.startContainer, range.startOffset);
    const end = articleOffset(pane, range.endContainer, range.endOffset);
    return start === null || end === null ? null : { start: Math.min(start, end), end: Math.max(start, end) };
  }

  function articlePane(statement) {
    const article = model.get("article") || {};
    const text = article.text || "";
    const pane = el("div", { class: "eo-article", "aria-label": "article text; select words to add a statement" });
    for (const [ps, pe] of article.paragraphs || []) {
      const p = el("p", { "data-start": ps });
      const s = statement ? Math.max(ps, statement.start) : pe;
      const e = statement ? Math.min(pe, statement.end) : pe;
      if (statement && s < e) {
        p.append(document.createTextNode(text.slice(ps, s)));
        p.append(el("mark", { class: "eo-current", text: text.slice(s, e) }));
        p.append(document.createTextNode(text.slice(e, pe)));
        p.classList.add("eo-has-current");
      } else {
        p.append(document.createTextNode(text.slice(ps, pe)));
      }
      pane.append(p);
    }
    return pane;
  }

  function field(label, value, cls) {
    return el("div", { class: `eo-field ${cls || ""}` }, el("span", { class: "eo-key", text: label }), el("span", { class: "eo-value", text: value || "—" }));
  }

  function statementCard(st) {
    const card = el("section", { class: "eo-card", "aria-label": "statement" });
    const reviewed = st.reviewed_by ? `reviewed by ${st.reviewed_by}` : "not reviewed";
    card.append(
      el("div", { class: "eo-card-head" },
        el("span", { class: "eo-id", text: st.id }),
        el("span", { class: st.reviewed_by ? "eo-badge eo-reviewed" : "eo-badge", text: reviewed })),
      field("speaker (s)", st.speaker, "eo-speaker"),
      field("affiliation (f)", st.affiliation, "eo-affiliation"),
      field("kind (q)", st.kind, "eo-kind"),
      field("cue", st.cue, "eo-cue"),
      el("blockquote", { class: "eo-text", text: st.text }),
    );
    if (editing === "speaker") card.append(speakerForm(st));
    if (editing === "affiliation") card.append(affiliationForm(st));
    return card;
  }

  function speakerForm(st) {
    const people = state().people || [];
    const form = el("form", { class: "eo-form eo-speaker-form" });
    const list = el("datalist", { id: `eo-people-${model.model_id || "x"}` });
    for (const p of people) list.append(el("option", { value: p.name, text: `${p.affiliation || ""} (${p.rows})` }));
    const input = el("input", { class: "eo-speaker-input", list: list.id, value: st.speaker, "aria-label": "speaker" });
    const rows = (people.find((p) => p.name === st.speaker) || { rows: 1 }).rows;
    const every = el("input", { type: "checkbox", class: "eo-every", checked: true });
    form.append(el("label", { text: "speaker " }), input, list,
      el("label", {}, every, document.createTextNode(` all ${rows} statement(s) by this name`)),
      el("button", { type: "submit", text: "set (Enter)" }));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      editing = null;
      send("speaker", { id: st.id, name: input.value, every: every.checked });
    });
    setTimeout(() => { input.focus(); input.select(); }, 0);
    return form;
  }

  function affiliationForm(st) {
    const form = el("form", { class: "eo-form eo-affiliation-form" });
    const input = el("input", { class: "eo-affiliation-input", value: st.affiliation, "aria-label": "affiliation" });
    const every = el("input", { type: "checkbox", class: "eo-every" });
    form.append(el("label", { text: "affiliation " }), input,
      el("label", {}, every, document.createTextNode(" every statement by this speaker")),
      el("button", { type: "submit", text: "set (Enter)" }));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      editing = null;
      send("affiliation", { id: st.id, value: input.value, every: every.checked });
    });
    setTimeout(() => { input.focus(); input.select(); }, 0);
    return form;
  }

  function topicsPane(st) {
    const s = state();
    const pane = el("section", { class: "eo-topics", "aria-label": "stance per topic" });
    (s.topics || []).forEach((topic, i) => {
      const given = (s.labels || {})[topic.topic];
      const offer = (s.suggestions || {})[topic.topic];
      const row = el("div", { class: `eo-topic${i === topicIndex ? " eo-cursor" : ""}`, "data-topic": topic.topic });
      row.append(el("div", { class: "eo-prop", text: topic.proposition }));
      const buttons = el("div", { class: "eo-labels", role: "group" });
      for (const label of LABELS) {
        const chosen = given && given.label === label;
        const suggested = offer && offer.label === label;
        const b = el("button", {
          type: "button",
          class: `eo-label${chosen ? " eo-chosen" : ""}${suggested ? " eo-suggested" : ""}`,
          "aria-pressed": chosen ? "true" : "false",
          "data-label": label,
          text: `${KEY_OF[label]} ${label}`,
        });
        b.addEventListener("click", () => { topicIndex = i; send("label", { id: st.id, topic: topic.topic, label }); });
        buttons.append(b);
      }
      row.append(buttons);
      if (offer) {
        const hint = offer.relevant
          ? `keywords: ${offer.matched.length ? offer.matched.join(", ") : "(topic has none)"}`
          : "no keyword: probably not addressed";
        const line = el("div", { class: "eo-suggestion" }, el("span", { text: hint }));
        if (offer.label) {
          line.append(el("span", { class: "eo-suggested-tag", text: ` suggested: ${offer.label} (${fmt(offer.confidence)})` }));
          if (offer.evidence.length) line.append(el("span", { class: "eo-evidence", text: ` because: ${offer.evidence.join(", ")}` }));
        }
        row.append(line);
      }
      if (given && given.rationale) row.append(el("div", { class: "eo-rationale", text: `why: ${given.rationale}` }));
      if (editing === "rationale" && i === topicIndex) row.append(rationaleForm(st, topic, given));
      row.append(el("div", { class: "eo-kw", text: topic.keywords ? `keywords: ${topic.keywords}` : "" }));
      pane.append(row);
    });
    pane.append(editing === "topic" ? topicForm() : el("button", { type: "button", class: "eo-add-topic", text: "t  add or edit a topic" }));
    const add = pane.querySelector(".eo-add-topic");
    if (add) add.addEventListener("click", () => { editing = "topic"; draw(); });
    return pane;
  }

  function rationaleForm(st, topic, given) {
    const form = el("form", { class: "eo-form eo-rationale-form" });
    const input = el("input", { class: "eo-rationale-input", value: (given && given.rationale) || "", "aria-label": "rationale" });
    form.append(el("label", { text: "why " }), input, el("button", { type: "submit", text: "save (Enter)" }));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      editing = null;
      send("rationale", { id: st.id, topic: topic.topic, text: input.value });
    });
    setTimeout(() => input.focus(), 0);
    return form;
  }

  function topicForm() {
    const topics = state().topics || [];
    const existing = topics[topicIndex];
    const form = el("form", { class: "eo-form eo-topic-form" });
    const id = el("input", { class: "eo-topic-id", value: existing ? existing.topic : "", placeholder: "topic_id", "aria-label": "topic id" });
    const prop = el("input", { class: "eo-topic-prop", value: existing ? existing.proposition : "", placeholder: "proposition", "aria-label": "proposition" });
    const kw = el("input", { class: "eo-topic-kw", value: existing ? existing.keywords : "", placeholder: "keyword;word beginnings", "aria-label": "keywords" });
    form.append(id, prop, kw, el("button", { type: "submit", text: "save topic" }));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      editing = null;
      send("topic", { topic: id.value, proposition: prop.value, keywords: kw.value });
    });
    setTimeout(() => id.focus(), 0);
    return form;
  }

  function header() {
    const s = state();
    const head = el("header", { class: "eo-head" });
    const progress = el("span", { class: "eo-progress", text: `${s.reviewed} of ${s.total} reviewed` });
    const position = (s.order || []).indexOf(s.current) + 1;
    head.append(
      el("strong", { text: (model.get("article") || {}).title || "" }),
      el("span", { class: "eo-who", text: ` · ${s.annotator}` }),
      progress,
      el("span", { class: "eo-position", text: `statement ${position} of ${(s.order || []).length}` }),
    );
    if (s.can_sort) {
      const select = el("select", { class: "eo-sort", "aria-label": "order" },
        el("option", { value: "article", text: "article order", selected: s.sort === "article" }),
        el("option", { value: "uncertain", text: "least certain first", selected: s.sort === "uncertain" }));
      select.addEventListener("change", () => send("sort", { by: select.value }));
      head.append(select);
    }
    const learner = s.learner;
    if (learner) {
      const text = learner.kappa === null
        ? `suggestions: learning (${learner.labels} labels so far)`
        : `suggestions vs your labels: kappa ${fmt(learner.kappa)} (your most common label: ${fmt(learner.prior_kappa)}), shown for ${fmt(learner.coverage)}`;
      head.append(el("span", { class: "eo-learner", text }));
    }
    return head;
  }

  function draw() {
    const s = state();
    if (s.current !== lastCurrent) { topicIndex = 0; lastCurrent = s.current; }
    const st = current();
    const hadFocus = root.contains(document.activeElement) || document.activeElement === root;
    root.replaceChildren();
    root.dataset.version = String(++version);
    root.classList.toggle("eo-read-only", Boolean(s.read_only));
    root.append(header());
    const notes = el("div", { class: "eo-notes", role: "status", "aria-live": "polite" });
    if (s.read_only) notes.append(el("div", { class: "eo-error eo-locked", text: `read-only: ${s.message}` }));
    else if (s.message) notes.append(el("div", { class: "eo-message", text: s.message }));
    if (s.error) notes.append(el("div", { class: "eo-error", text: s.error }));
    root.append(notes);
    const body = el("div", { class: "eo-body" });
    body.append(articlePane(st));
    const side = el("div", { class: "eo-side" });
    if (st) { side.append(statementCard(st)); side.append(topicsPane(st)); }
    else side.append(el("p", { text: "No statements: select a statement's words in the article and press n." }));
    body.append(side);
    root.append(body);
    root.append(el("footer", { class: "eo-help", text:
      "a accept · s speaker · f affiliation · q direct/paraphrase · [ ] move start · { } move end · x delete · " +
      "/ split at selection · n new from selection · 1 favor 2 against 3 neutral 4 mixed 0 not addressed · " +
      "↑ ↓ topic · r rationale · t topic · u or ctrl-z undo · j k or → ← next/previous · Esc cancel" }));
    root.append(el("div", { class: "eo-files", text: `saved in ${s.files || ""}` }));
    const mark = root.querySelector("mark.eo-current");
    if (mark) mark.scrollIntoView({ block: "center", inline: "nearest" });
    if (hadFocus && !editing) root.focus({ preventScroll: true });
  }

  function onKey(event) {
    const target = event.target;
    if (target && target !== root && ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)) {
      if (event.key === "Escape") { editing = null; draw(); event.preventDefault(); }
      event.stopPropagation();
      return;
    }
    const s = state();
    const st = current();
    const topics = s.topics || [];
    const key = event.key;
    let handled = true;
    if ((event.ctrlKey || event.metaKey) && key.toLowerCase() === "z") send("undo");
    else if (event.ctrlKey || event.metaKey || event.altKey) handled = false;
    else if (key === "j" || key === "ArrowRight") step(1);
    else if (key === "k" || key === "ArrowLeft") step(-1);
    else if (key === "u") send("undo");
    else if (key === "t") { editing = "topic"; draw(); }
    else if (key === "n") { const sel = selection(); if (sel) send("add", sel); else showError("select the statement's words in the article first, then press n"); }
    else if (key === "Escape") { editing = null; draw(); }
    else if (!st) handled = false;
    else if (key === "a") send("review", { id: st.id });
    else if (key === "s") { editing = "speaker"; draw(); }
    else if (key === "f") { editing = "affiliation"; draw(); }
    else if (key === "q") send("kind", { id: st.id });
    else if (key === "[") send("move", { id: st.id, edge: "start", step: -1 });
    else if (key === "]") send("move", { id: st.id, edge: "start", step: 1 });
    else if (key === "{") send("move", { id: st.id, edge: "end", step: -1 });
    else if (key === "}") send("move", { id: st.id, edge: "end", step: 1 });
    else if (key === "x") send("delete", { id: st.id });
    else if (key === "/") { const sel = selection(); if (sel) send("split", { id: st.id, at: sel.start }); else showError("select the word to split at, then press /"); }
    else if (key in LABEL_KEYS && topics.length) {
      const topic = topics[Math.min(topicIndex, topics.length - 1)];
      send("label", { id: st.id, topic: topic.topic, label: LABEL_KEYS[key] });
      topicIndex = Math.min(topicIndex + 1, topics.length - 1);
    }
    else if (key === "ArrowDown") { topicIndex = Math.min(topicIndex + 1, topics.length - 1); draw(); }
    else if (key === "ArrowUp") { topicIndex = Math.max(topicIndex - 1, 0); draw(); }
    else if (key === "r") {
      if ((s.labels || {})[topics[topicIndex] && topics[topicIndex].topic]) { editing = "rationale"; draw(); }
      else showError("give this topic a label first (1-4 or 0), then r for its rationale");
    }
    else handled = false;
    if (handled) { event.preventDefault(); event.stopPropagation(); }
  }

  function step(by) {
    const s = state();
    const order = s.order || [];
    const i = order.indexOf(s.current);
    const next = order[Math.min(Math.max(i + by, 0), order.length - 1)];
    if (next) send("goto", { id: next });
  }

  function showError(text) {
    const notes = root.querySelector(".eo-notes");
    if (notes) notes.replaceChildren(el("div", { class: "eo-error", text }));
  }

  root.addEventListener("keydown", onKey);
  root.addEventListener("mousedown", (e) => { if (!["INPUT", "BUTTON", "SELECT"].includes(e.target.tagName)) root.focus({ preventScroll: true }); });
  model.on("change:state", draw);
  model.on("change:article", draw);
  draw();
  return () => model.off("change:state", draw);
}

export default { render };
