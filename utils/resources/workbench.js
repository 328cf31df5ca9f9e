// The review-and-tag workbench's front end (anywidget), in four modes: review (one article),
// adjudicate, people (a coverage's registry) and queue (one proposition across a coverage). It
// renders the state Python sends and sends actions back; every edit is made and saved in Python
// (utils/annotations.py, utils/adjudication.py, utils/people_review.py, utils/topic_queue.py).
// Article and table strings are hostile: they are only ever set with textContent.

const LABEL_KEYS = { "1": "favor", "2": "against", "3": "neutral", "4": "mixed", "0": "not addressed" };
const LABELS = ["favor", "against", "neutral", "mixed", "not addressed"];
const KEY_OF = Object.fromEntries(Object.entries(LABEL_KEYS).map(([k, v]) => [v, k]));
// Span keys: [ ] move the start, { } the end, one word; with Alt, one clause. event.code is the
// fallback for keyboards where Alt changes the character (Option-[ is “ on a Mac).
const SPAN_KEYS = { "[": ["start", -1], "]": ["start", 1], "{": ["end", -1], "}": ["end", 1] };
const SPAN_CODES = { BracketLeft: ["[", "{"], BracketRight: ["]", "}"] };
const NO_ANSWER_MS = 4000; // an action unanswered this long: the kernel is busy or gone
const FOCUS_WINDOW_MS = 60000; // a new workbench takes the keyboard back this long at most (the cells after it may still run)
const CANDIDATES_SHOWN = 6;

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

// Case, accents and curly apostrophes do not matter when matching what a person types.
function fold(text) {
  return String(text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[’‘]/g, "'").toLowerCase();
}

// Candidates whose words start with every typed word, best first: the value typed in full, then
// values that start with what was typed, then by ``rank`` (people with rows, then the nearest).
function matching(items, typed, textOf, rank) {
  const words = fold(typed).split(/[^\p{L}\p{N}']+/u).filter(Boolean);
  if (!words.length) return [];
  const hits = items.filter((item) => {
    const own = fold(textOf(item)).split(/[^\p{L}\p{N}']+/u).filter(Boolean);
    return words.every((w) => own.some((o) => o.startsWith(w)));
  });
  const whole = fold(typed).trim();
  const start = (item) => { const own = fold(textOf(item)); return own === whole ? -1 : own.startsWith(whole) ? 0 : 1; };
  return hits.sort((a, b) => start(a) - start(b) || rank(a) - rank(b));
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
  let editing = null; // "attribution" | "rationale" | "topic" while a form is open
  let form = null; // the attribution form's options: which field has focus, values from a selection
  let seq = 0; // actions sent; the state's "ack" is the last one Python answered
  let dead = ""; // why the kernel cannot answer any more: then keys do nothing
  let slow = null;

  const state = () => model.get("state") || {};
  const connected = () => (state().ack || 0) > 0;
  const mode = () => state().mode || "review";
  const adjudicating = () => mode() === "adjudicate";
  const current = () => (adjudicating()
    ? (state().item || {}).statement
    : (state().statements || []).find((s) => s.id === state().current));

  function send(action, extra = {}) {
    if (dead) return;
    seq += 1;
    model.send({ action, seq, ...extra });
    clearTimeout(slow);
    const waiting = seq;
    slow = setTimeout(() => { if ((state().ack || 0) < waiting) showNoAnswer(); }, NO_ANSWER_MS);
  }

  function selection() {
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    const pane = root.querySelector(".eo-article");
    const range = sel.getRangeAt(0);
    const start = articleOffset(pane, range.startContainer, range.startOffset);
    const end = articleOffset(pane, range.endContainer, range.endOffset);
    return start === null || end === null ? null : { start: Math.min(start, end), end: Math.max(start, end) };
  }

  function selectedText() {
    const sel = selection();
    const text = (model.get("article") || {}).text || "";
    return sel ? text.slice(sel.start, sel.end).replace(/\s+/g, " ").trim() : "";
  }

  function articlePane(statement) {
    const article = model.get("article") || {};
    const text = article.text || "";
    const pane = el("div", { class: "eo-article", "aria-label": "article text; select words to add a statement or set a span" });
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

  // A row the machine found says so: its rule and how sure it was (people's rows and rows of
  // curated tables written before the rule was kept have none).
  function origin(st) {
    if (!st.rule) return "";
    return el("div", { class: "eo-machine eo-origin" },
      el("span", { class: "eo-machine-chip", text: "machine" }),
      el("span", { text: ` found by rule ${st.rule} · how sure: ${fmt(st.confidence)}` }));
  }

  function statementCard(st) {
    const card = el("section", { class: "eo-card", "aria-label": "statement" });
    const reviewed = st.reviewed_by ? `reviewed by ${st.reviewed_by}` : "not reviewed: as the machine found it";
    card.append(
      el("div", { class: "eo-card-head" },
        el("span", { class: "eo-id", text: st.id }),
        el("span", { class: st.reviewed_by ? "eo-badge eo-reviewed" : "eo-badge eo-unreviewed", text: reviewed })),
      origin(st),
      field("speaker (s)", st.speaker, "eo-speaker"),
      field("affiliation (f)", st.affiliation, "eo-affiliation"),
      field("kind (q)", st.kind, "eo-kind"),
      field("cue", st.cue, "eo-cue"),
      el("blockquote", { class: "eo-text", text: st.text }),
    );
    if (editing === "attribution") card.append(attributionForm(st));
    return card;
  }

  // The speaker form (s) and the affiliation form (f) are one: a name brings its affiliation.
  function attributionForm(st) {
    const s = state();
    const people = s.people || [];
    const affiliations = s.affiliations || [];
    const box = el("form", { class: "eo-form eo-attribution-form" });
    const speaker = el("input", { class: "eo-speaker-input", value: form.speaker ?? st.speaker, "aria-label": "speaker", autocomplete: "off" });
    const affiliation = el("input", { class: "eo-affiliation-input", value: form.affiliation ?? st.affiliation, "aria-label": "affiliation", autocomplete: "off" });
    const names = el("ul", { class: "eo-candidates eo-name-candidates", role: "listbox" });
    const values = el("ul", { class: "eo-candidates eo-affiliation-candidates", role: "listbox" });
    const brought = el("span", { class: "eo-brought" });
    const pick = { speaker: { typed: false, list: [], at: -1 }, affiliation: { typed: form.affiliation !== undefined, list: [], at: -1 } };
    const same = people.find((p) => p.name === st.speaker) || { rows: 1 };
    const near = (p) => Math.min(...(p.at || []).map((a) => Math.abs(a - st.start)), 1e9);

    const chosenName = () => (pick.speaker.at >= 0 ? pick.speaker.list[pick.speaker.at].name : speaker.value.trim());
    function showList(list, node, kind, textOf, note) {
      node.replaceChildren();
      list.slice(0, CANDIDATES_SHOWN).forEach((item, i) => {
        const li = el("li", { class: `eo-candidate${i === pick[kind].at ? " eo-highlight" : ""}`, role: "option", "aria-selected": i === pick[kind].at ? "true" : "false" },
          el("span", { class: "eo-candidate-text", text: textOf(item) }), el("span", { class: "eo-candidate-note", text: note(item) }));
        li.addEventListener("mousedown", (e) => { e.preventDefault(); pick[kind].at = i; (kind === "speaker" ? speaker : affiliation).value = textOf(item); update(); });
        node.append(li);
      });
    }
    function update() {
      const p = pick.speaker;
      p.list = p.typed ? matching(people, speaker.value, (x) => x.name, (x) => (x.rows ? 0 : 1) * 1e9 + near(x)) : [];
      if (p.at >= p.list.length) p.at = p.list.length - 1;
      showList(p.list, names, "speaker", (x) => x.name, (x) => (x.rows ? ` ${x.affiliation || "no affiliation"} · ${x.rows} row(s)` : " named in the article"));
      const a = pick.affiliation;
      a.list = a.typed ? matching(affiliations, affiliation.value, (x) => x.value, () => 0) : [];
      if (a.at >= a.list.length) a.at = a.list.length - 1;
      showList(a.list, values, "affiliation", (x) => x.value, (x) => ` ${x.speakers.join(", ")}`);
      if (!a.typed) { // the affiliation follows the name, as Python will set it: a person with rows brings theirs
        const name = chosenName();
        const known = name !== st.speaker ? people.find((x) => x.name === name && x.rows > 0) : null;
        affiliation.value = known ? known.affiliation : st.affiliation;
        brought.textContent = known ? ` (${name}'s, from their other rows)` : "";
      }
    }
    function onInput(kind) {
      pick[kind].typed = true;
      pick[kind].at = 0;
      if (kind === "affiliation") brought.textContent = "";
      update();
    }
    for (const input of [speaker, affiliation]) input.addEventListener("focus", () => input.select());
    speaker.addEventListener("input", () => onInput("speaker"));
    affiliation.addEventListener("input", () => onInput("affiliation"));
    function submit(every, next) {
      const name = chosenName();
      const a = pick.affiliation;
      const value = a.at >= 0 ? a.list[a.at].value : affiliation.value.trim();
      editing = null;
      form = null;
      send("attribution", {
        id: st.id,
        speaker: name !== st.speaker ? name : null,
        affiliation: a.typed ? value : null,
        every, next,
      });
    }
    function onKey(event, kind) {
      const p = pick[kind];
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        const n = Math.min(p.list.length, CANDIDATES_SHOWN); // -1 is the text as typed
        p.at = event.key === "ArrowDown" ? (p.at + 1 >= n ? -1 : p.at + 1) : (p.at - 1 < -1 ? n - 1 : p.at - 1);
        update();
        event.preventDefault();
      } else if (event.key === "Enter") {
        event.preventDefault();
        submit(event.shiftKey && same.rows > 1 && !adjudicating(), !(event.ctrlKey || event.metaKey));
      }
    }
    speaker.addEventListener("keydown", (e) => onKey(e, "speaker"));
    affiliation.addEventListener("keydown", (e) => onKey(e, "affiliation"));
    box.addEventListener("submit", (e) => { e.preventDefault(); submit(false, true); });
    const every = same.rows > 1 && !adjudicating() ? ` · Shift+Enter: all ${same.rows} rows of “${st.speaker}”` : "";
    box.append(
      el("div", { class: "eo-form-row" }, el("label", { text: "speaker " }), speaker), names,
      el("div", { class: "eo-form-row" }, el("label", { text: "affiliation " }), affiliation, brought), values,
      el("div", { class: "eo-form-help", text: `Enter: this row, then the next unreviewed${every} · Ctrl+Enter: this row, stay · ↑ ↓ choose · Tab: other field · Esc: cancel` }),
    );
    update();
    box.dataset.focus = form.focus; // draw() gives this field the keyboard once the form is on the page
    return box;
  }

  function topicsPane(st) {
    const s = state();
    const pane = el("section", { class: "eo-topics", "aria-label": "stance per topic" });
    (s.topics || []).forEach((topic, i) => {
      const given = (s.labels || {})[topic.topic];
      const offer = (s.suggestions || {})[topic.topic];
      const row = el("div", { class: `eo-topic${i === topicIndex ? " eo-cursor" : ""}`, "data-topic": topic.topic });
      row.append(el("div", { class: "eo-prop", text: topic.proposition }));
      const buttons = el("div", { class: "eo-labels", role: "group", "aria-label": "your label" });
      for (const label of LABELS) {
        const chosen = given && given.label === label;
        const b = el("button", {
          type: "button",
          class: `eo-label${chosen ? " eo-chosen" : ""}`,
          "aria-pressed": chosen ? "true" : "false",
          "data-label": label,
          text: `${KEY_OF[label]} ${label}`,
        });
        b.addEventListener("click", () => { topicIndex = i; send("label", { id: st.id, topic: topic.topic, label }); });
        buttons.append(b);
      }
      row.append(buttons);
      if (offer) row.append(suggestion(offer));
      if (given && given.rationale) row.append(el("div", { class: "eo-rationale", text: `why (yours): ${given.rationale}` }));
      if (editing === "rationale" && i === topicIndex) row.append(rationaleForm(st, topic, given));
      row.append(el("div", { class: "eo-kw", text: topic.keywords ? `keywords: ${topic.keywords}` : "" }));
      pane.append(row);
    });
    pane.append(editing === "topic" ? topicForm() : el("button", { type: "button", class: "eo-add-topic", text: "t  add or edit a topic" }));
    const add = pane.querySelector(".eo-add-topic");
    if (add) add.addEventListener("click", () => { editing = "topic"; draw(); });
    return pane;
  }

  // The machine's suggestion, in its own style: never a filled label, always with its evidence and how sure.
  function suggestion(offer) {
    const line = el("div", { class: "eo-machine eo-suggestion", "data-suggested": offer.label || "" },
      el("span", { class: "eo-machine-chip", text: "machine" }));
    const learned = offer.relevance === null || offer.relevance === undefined
      ? "" : ` · addresses it, learned from your labels: ${fmt(offer.relevance)}`;
    const found = offer.matched.length ? `keywords found: ${offer.matched.join(", ")}`
      : offer.relevant && !learned ? "keywords found: (the topic has none)" : "no keyword";
    const relevance = offer.relevant ? ` ${found}${learned}` : ` ${found}: probably not addressed${learned}`;
    line.append(el("span", { class: "eo-relevance", text: relevance }));
    if (offer.around && offer.around.length) line.append(el("span", { class: "eo-around", text: ` (${offer.around.join("; ")})` }));
    if (offer.label) {
      line.append(
        el("span", { class: "eo-suggested-tag", text: ` · suggests ${KEY_OF[offer.label]} ${offer.label}` }),
        el("span", { class: "eo-how-sure", text: ` · how sure: ${fmt(offer.confidence)}` }));
      if (offer.evidence.length) line.append(el("span", { class: "eo-evidence", text: ` · because of: ${offer.evidence.join(", ")}` }));
    }
    return line;
  }

  function rationaleForm(st, topic, given) {
    const box = el("form", { class: "eo-form eo-rationale-form" });
    const input = el("input", { class: "eo-rationale-input", value: (given && given.rationale) || "", "aria-label": "rationale" });
    box.append(el("label", { text: "why " }), input, el("button", { type: "submit", text: "save (Enter)" }));
    box.addEventListener("submit", (e) => {
      e.preventDefault();
      editing = null;
      send("rationale", { id: st.id, topic: topic.topic, text: input.value });
    });
    setTimeout(() => input.focus(), 0);
    return box;
  }

  function topicForm() {
    const topics = state().topics || [];
    const existing = topics[topicIndex];
    const box = el("form", { class: "eo-form eo-topic-form" });
    const id = el("input", { class: "eo-topic-id", value: existing ? existing.topic : "", placeholder: "topic_id", "aria-label": "topic id" });
    const prop = el("input", { class: "eo-topic-prop", value: existing ? existing.proposition : "", placeholder: "proposition", "aria-label": "proposition" });
    const kw = el("input", { class: "eo-topic-kw", value: existing ? existing.keywords : "", placeholder: "keyword;word beginnings", "aria-label": "keywords" });
    box.append(id, prop, kw, el("button", { type: "submit", text: "save topic" }));
    box.addEventListener("submit", (e) => {
      e.preventDefault();
      editing = null;
      send("topic", { topic: id.value, proposition: prop.value, keywords: kw.value });
    });
    setTimeout(() => id.focus(), 0);
    return box;
  }

  function header() {
    const s = state();
    const head = el("header", { class: "eo-head" });
    const position = (s.order || []).indexOf(s.current) + 1;
    head.append(
      el("strong", { text: (model.get("article") || {}).title || "" }),
      el("span", { class: "eo-who", text: ` · ${s.annotator}` }),
      el("span", { class: "eo-progress", text: `${s.reviewed} of ${s.total} reviewed by people` }),
      el("span", { class: "eo-position", text: `statement ${position} of ${(s.order || []).length}` }),
    );
    if (s.can_sort) {
      const select = el("select", { class: "eo-sort", "aria-label": "order" },
        el("option", { value: "article", text: "article order", selected: s.sort === "article" }),
        el("option", { value: "uncertain", text: "least certain first", selected: s.sort === "uncertain" }));
      select.addEventListener("change", () => send("sort", { by: select.value }));
      head.append(select);
    }
    return head;
  }

  // How far the suggestions agree with the person (cross-validated), in the machine's style.
  function learnerLine(learner) {
    const text = learner.kappa === null
      ? `suggestions: learning from your labels (${learner.labels} so far); not counted as labels`
      : `suggestions agree with your labels: kappa ${fmt(learner.kappa)} (always your most common label: ${fmt(learner.prior_kappa)}), offered for ${fmt(learner.coverage)} of pairs, measured on ${learner.measured_on} labels; not counted as labels`;
    return el("span", { class: "eo-machine eo-learner" }, el("span", { class: "eo-machine-chip", text: "machine" }), el("span", { text: ` ${text}` }));
  }

  // People's labels and the machine's suggestions are counted apart, never added up.
  function counts() {
    const s = state();
    const c = s.counts || {};
    const line = el("div", { class: "eo-counts" },
      el("span", { class: "eo-people-count", text: `stance labels by people: ${c.labelled_statements || 0} statement(s), ${c.label_pairs || 0} statement-topic pair(s)` }));
    if (s.learner) line.append(learnerLine(s.learner));
    return line;
  }

  // What every view does first: empty the root, count the drawing (tests wait on it), say whether
  // the kernel has answered (keys work), is read-only or gone; ``view``: the view's class. Whether
  // the workbench had the focus, to give it back after drawing.
  function startDraw(view) {
    const s = state();
    const hadFocus = root.contains(document.activeElement) || document.activeElement === root;
    if ((s.ack || 0) >= seq) clearTimeout(slow);
    root.replaceChildren();
    root.dataset.version = String(++version);
    if (connected()) root.dataset.ready = "true";
    root.classList.toggle("eo-read-only", Boolean(s.read_only));
    root.classList.toggle("eo-dead", Boolean(dead));
    if (view) root.classList.add(view);
    return hadFocus;
  }

  function draw() {
    if (adjudicating()) { drawAdjudication(); return; }
    if (mode() === "people") { drawPeople(); return; }
    if (mode() === "queue") { drawQueue(); return; }
    const s = state();
    if (s.current !== lastCurrent) { topicIndex = 0; lastCurrent = s.current; }
    const st = current();
    const hadFocus = startDraw("");
    root.append(header(), counts(), notesLine());
    const body = el("div", { class: "eo-body" });
    body.append(articlePane(st));
    const side = el("div", { class: "eo-side" });
    if (st) { side.append(statementCard(st)); side.append(topicsPane(st)); }
    else side.append(el("p", { text: "No statements: select a statement's words in the article and press n." }));
    body.append(side);
    root.append(body);
    root.append(el("footer", { class: "eo-help", text:
      "a accept, next unreviewed · s speaker · f affiliation (with a selection: the selected words) · q direct/paraphrase · " +
      "e span = selection · [ ] start, { } end by a word; with Alt by a clause · x delete · / split at selection · " +
      "n new from selection · 1 favor 2 against 3 neutral 4 mixed 0 not addressed · ↑ ↓ topic · r rationale · t topic · " +
      "u or ctrl-z undo · j k or → ← next/previous · Esc cancel" }));
    root.append(el("div", { class: "eo-files", text: `saved in ${s.files || ""}` }));
    const mark = root.querySelector("mark.eo-current");
    if (mark) mark.scrollIntoView({ block: "center", inline: "nearest" });
    if (hadFocus && !editing) root.focus({ preventScroll: true });
    const field = root.querySelector(".eo-attribution-form[data-focus]");
    if (field) field.querySelector(`.eo-${field.dataset.focus}-input`).focus(); // its text is selected on focus
  }

  // --- the adjudication view: several people's disagreements, one at a time

  function notesLine() {
    const s = state();
    const notes = el("div", { class: "eo-notes", role: "status", "aria-live": "polite" });
    if (dead) notes.append(el("div", { class: "eo-error eo-gone", text: dead }));
    if (s.read_only) notes.append(el("div", { class: "eo-error eo-locked", text: `read-only: ${s.message}` }));
    else if (s.message) notes.append(el("div", { class: "eo-message", text: s.message }));
    if (s.notice) notes.append(el("div", { class: "eo-notice", text: s.notice }));
    if (s.error) notes.append(el("div", { class: "eo-error", text: s.error }));
    return notes;
  }

  // A version of a statement, the fields the versions differ on marked.
  function rowLine(row, differs = new Set()) {
    const line = el("span", { class: "eo-value" });
    const parts = [["speaker", row.speaker], ["affiliation", row.affiliation || "no affiliation"], ["kind", row.kind], ["text", `“${row.text}”`]];
    parts.forEach(([name, value], i) => {
      if (i) line.append(document.createTextNode(" · "));
      line.append(el("span", { class: differs.has(name) || (name === "text" && (differs.has("start") || differs.has("end"))) ? "eo-differs" : "", text: value }));
    });
    return line;
  }

  function drawAdjudication() {
    const s = state();
    const item = s.item;
    const hadFocus = startDraw("eo-adjudicating");
    root.append(el("header", { class: "eo-head" },
      el("strong", { text: (model.get("article") || {}).title || "" }),
      el("span", { class: "eo-who", text: ` · ${s.annotator} settling what ${(s.names || []).join(", ")} disagree on` }),
      el("span", { class: "eo-progress", text: `${s.settled} of ${s.total} disagreements settled` }),
      el("span", { class: "eo-position", text: item ? `disagreement ${s.current + 1} of ${s.total}` : "" })));
    root.append(notesLine());
    const body = el("div", { class: "eo-body" });
    body.append(articlePane(item ? item.statement : null));
    const side = el("div", { class: "eo-side" });
    const list = el("ol", { class: "eo-disagreements" });
    (s.items || []).forEach((x, i) => list.append(el("li", {
      class: `${x.settled ? "eo-settled" : "eo-open"}${i === s.current ? " eo-here" : ""}`, text: `${x.settled ? "✓ " : ""}${x.label}` })));
    side.append(list);
    if (!item) side.append(el("p", { text: "They agree on everything: nothing to settle." }));
    else if (item.type === "statement") side.append(statementVersions(item));
    else side.append(labelVersions(item));
    body.append(side);
    root.append(body);
    root.append(el("footer", { class: "eo-help", text:
      "1-9 take that person's version (a statement) or 1 favor 2 against 3 neutral 4 mixed 0 not addressed (a label) · " +
      "x drop the statement · s f q e [ ] { } edit it as in review · j k or → ← next/previous · u or ctrl-z undo" }));
    root.append(el("div", { class: "eo-files", text: `decisions saved in ${s.files || ""}` }));
    const mark = root.querySelector("mark.eo-current");
    if (mark) mark.scrollIntoView({ block: "center", inline: "nearest" });
    if (hadFocus && !editing) root.focus({ preventScroll: true });
    const field = root.querySelector(".eo-attribution-form[data-focus]");
    if (field) field.querySelector(`.eo-${field.dataset.focus}-input`).focus();
  }

  function statementVersions(item) {
    const card = el("section", { class: "eo-card eo-versions", "aria-label": "each person's version" });
    card.append(el("div", { class: "eo-card-head" }, el("span", { class: "eo-id", text: item.id }),
      el("span", { class: item.decided ? "eo-badge eo-reviewed" : "eo-badge eo-unreviewed",
        text: item.decided ? `settled: ${item.decided === "drop" ? "dropped" : item.decided === "edited" ? "edited" : `${item.decided}'s version`}` : "open" })));
    const rows = item.versions.filter((v) => v.row).map((v) => v.row);
    const differs = new Set(["speaker", "affiliation", "kind", "start", "end", "text"].filter((f) => new Set(rows.map((r) => String(r[f]))).size > 1));
    item.versions.forEach((v, i) => {
      const what = v.row ? rowLine(v.row, differs) : el("span", { class: "eo-value", text: v.judged ? "dropped it (or did not add it)" : "did not review it" });
      card.append(el("div", { class: `eo-version${item.decided === v.name ? " eo-picked" : ""}`, "data-person": v.name },
        el("span", { class: "eo-key", text: `${i + 1} ${v.name}` }), what));
    });
    const st = item.statement;
    card.append(el("div", { class: "eo-standing" }, el("span", { class: "eo-key", text: "as it stands" }),
      item.dropped ? el("span", { class: "eo-value", text: "dropped" }) : rowLine(st, differs)));
    if (editing === "attribution") card.append(attributionForm(st));
    return card;
  }

  function labelVersions(item) {
    const card = el("section", { class: "eo-card eo-versions", "aria-label": "each person's label" });
    card.append(el("div", { class: "eo-card-head" }, el("span", { class: "eo-id", text: `${item.id} · ${item.topic}` }),
      el("span", { class: item.decided ? "eo-badge eo-reviewed" : "eo-badge eo-unreviewed", text: item.decided ? `settled: ${item.decided}` : "open" })));
    card.append(el("blockquote", { class: "eo-text", text: item.statement.text }), el("div", { class: "eo-prop", text: item.proposition }));
    for (const v of item.labels) {
      card.append(el("div", { class: "eo-version", "data-person": v.name },
        el("span", { class: "eo-key", text: v.name }), el("span", { class: "eo-value", text: `${v.label}${v.rationale ? ` — ${v.rationale}` : ""}` })));
    }
    const buttons = el("div", { class: "eo-labels", role: "group" });
    for (const label of LABELS) {
      const b = el("button", { type: "button", class: `eo-label${item.decided === label ? " eo-chosen" : ""}`, "data-label": label, text: `${KEY_OF[label]} ${label}` });
      b.addEventListener("click", () => send("label", { label }));
      buttons.append(b);
    }
    card.append(buttons);
    return card;
  }

  function adjudicationKey(event) {
    const s = state();
    const item = s.item;
    const key = event.key;
    const span = spanKey(event);
    let handled = true;
    if ((event.ctrlKey || event.metaKey) && key.toLowerCase() === "z") send("undo");
    else if (span && item && item.type === "statement" && !event.ctrlKey && !event.metaKey) send("move", { edge: span[0], step: span[1], by: event.altKey ? "clause" : "word" });
    else if (event.ctrlKey || event.metaKey || event.altKey) handled = false;
    else if (key === "j" || key === "ArrowRight") send("goto", { index: Math.min((s.current || 0) + 1, (s.total || 1) - 1) });
    else if (key === "k" || key === "ArrowLeft") send("goto", { index: Math.max((s.current || 0) - 1, 0) });
    else if (key === "u") send("undo");
    else if (key === "Escape") { editing = null; form = null; draw(); }
    else if (!item) handled = false;
    else if (item.type === "label" && key in LABEL_KEYS) send("label", { label: LABEL_KEYS[key] });
    else if (item.type !== "statement") handled = false;
    else if (/^[1-9]$/.test(key)) send("pick", { person: Number(key) });
    else if (key === "x") send("drop");
    else if (key === "s") openForm("speaker");
    else if (key === "f") openForm("affiliation");
    else if (key === "q") send("kind");
    else if (key === "e") { const sel = selection(); if (sel) send("span", sel); else showError("select the statement's words in the article first, then press e"); }
    else handled = false;
    if (handled) { event.preventDefault(); event.stopPropagation(); }
  }

  function openForm(focus) {
    const words = selectedText();
    form = { focus };
    if (words) form[focus] = words;
    editing = "attribution";
    draw();
  }

  function spanKey(event) {
    let key = event.key;
    if (!(key in SPAN_KEYS) && event.altKey && event.code in SPAN_CODES) key = SPAN_CODES[event.code][event.shiftKey ? 1 : 0];
    return SPAN_KEYS[key] || null;
  }

  // --- the people view: one person of a coverage's registry at a time, people's decisions by keys

  // A list to pick from, with a filter typed above it (↑ ↓ choose, Enter take it, Esc cancel). The
  // chooser keeps what was typed and where the highlight is across redraws (``form``).
  function chooser(title, items, { help, onChoose, onType, allowTyped = false }) {
    const box = el("form", { class: "eo-form eo-chooser", "data-form": form.kind });
    const input = el("input", { class: "eo-chooser-input", value: form.typed || "", "aria-label": title, autocomplete: "off" });
    const list = el("ul", { class: "eo-candidates eo-choices", role: "listbox" });
    const shown = items.slice(0, 12);
    if (form.at >= shown.length) form.at = shown.length - 1;
    if (form.at < 0 && shown.length && !allowTyped) form.at = 0;
    shown.forEach((item, i) => {
      const li = el("li", { class: `eo-candidate${i === form.at ? " eo-highlight" : ""}`, role: "option", "aria-selected": i === form.at ? "true" : "false", "data-value": item.value },
        el("span", { class: "eo-candidate-text", text: item.text }), el("span", { class: "eo-candidate-note", text: item.note ? ` ${item.note}` : "" }));
      li.addEventListener("mousedown", (e) => { e.preventDefault(); take(item.value); });
      list.append(li);
    });
    if (!shown.length) list.append(el("li", { class: "eo-candidate-note", text: form.typed ? "nothing matches" : "" }));
    function take(value) { editing = null; form = null; onChoose(value); } // the answer redraws
    input.addEventListener("input", () => { form.typed = input.value; form.at = allowTyped ? -1 : 0; if (onType) onType(input.value); else draw(); });
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        const n = shown.length;
        const low = allowTyped ? -1 : 0;
        form.at = event.key === "ArrowDown" ? (form.at + 1 >= n ? low : form.at + 1) : (form.at - 1 < low ? n - 1 : form.at - 1);
        event.preventDefault();
        draw();
      } else if (event.key === "Enter") {
        event.preventDefault();
        if (form.at >= 0 && shown[form.at]) take(shown[form.at].value);
        else if (allowTyped && input.value.trim()) take(input.value.trim());
      }
    });
    box.addEventListener("submit", (e) => e.preventDefault());
    box.append(el("div", { class: "eo-form-row" }, el("label", { text: `${title} ` }), input), list,
      el("div", { class: "eo-form-help", text: help }));
    return box;
  }

  function filtered(items) {
    if (!form.typed) return items;
    return matching(items, form.typed, (x) => `${x.text} ${x.note || ""}`, () => 0);
  }

  let searching = null;
  function searchSoon(query) {
    clearTimeout(searching);
    searching = setTimeout(() => send("search", { query }), 150);
  }

  function personForm(p) {
    const s = state();
    const decide = (decision) => (value) => send("decide", { decision, id: p.person_id, value });
    const brief = (x) => ({ value: x.person_id, text: `${x.person} (${x.person_id})`, note: `${x.why ? `${x.why} · ` : ""}${x.note}` });
    if (form.kind === "merge") {
      const items = form.typed ? (s.search || []).filter((x) => x.person_id !== p.person_id).map(brief) : (p.likely || []).map(brief);
      return chooser(`the same person as ${p.person}:`, items, {
        help: "likely the same people first (same surname, similar name); type a name or id to search everyone · ↑ ↓ choose · Enter: their statements become this person's · Esc cancel",
        onChoose: decide("merge"), onType: (q) => { searchSoon(q); draw(); } });
    }
    if (form.kind === "split") {
      const names = (p.aliases_list || []).map((a) => ({ value: a, text: `“${a}”`, note: "name form" }));
      const articles = (p.articles_list || []).map((a) => ({ value: a.article_id, text: a.title || a.article_id, note: `${a.outlet || "no outlet"} · ${a.date || "no date"} · ${a.statements} statement(s) · ${a.article_id}` }));
      return chooser("split off:", filtered([...names, ...articles]), {
        help: "a name form or an article whose statements are someone else · ↑ ↓ choose · Enter split · Esc cancel", onChoose: decide("split") });
    }
    if (form.kind === "type") {
      const items = (s.types || []).map((t, i) => ({ value: t, text: `${i + 1} ${t}`, note: t === p.source_type ? "now" : "" }));
      return chooser("source type:", filtered(items), { help: "↑ ↓ or type · Enter set it · Esc cancel", onChoose: decide("type") });
    }
    if (form.kind === "rename") {
      return chooser("show as:", [], { help: "the name to show for this person · Enter rename · Esc cancel", onChoose: decide("rename"), allowTyped: true });
    }
    const found = (s.search || []).map(brief);
    return chooser("find a person:", found, {
      help: "a few letters of any word of a name or id · ↑ ↓ choose · Enter go to them · Esc cancel",
      onChoose: (id) => send("goto", { id }), onType: (q) => { searchSoon(q); draw(); } });
  }

  function contextLine(parts) {
    const p = el("p", { class: "eo-context" });
    if (parts.length === 3) p.append(document.createTextNode(parts[0]), el("mark", { class: "eo-current", text: parts[1] }), document.createTextNode(parts[2]));
    else p.append(document.createTextNode(parts[0]));
    return p;
  }

  function source(row) {
    return el("div", { class: "eo-source" },
      el("span", { class: "eo-source-title", text: row.title || row.article_id }),
      el("span", { class: "eo-source-meta", text: ` · ${row.outlet || "no outlet"} · ${row.date || "no date"}` }));
  }

  function drawPeople() {
    const s = state();
    const p = s.person;
    const hadFocus = startDraw("eo-people-view");
    const c = (p && p.counts) || {};
    root.append(el("header", { class: "eo-head" },
      el("strong", { text: (model.get("article") || {}).title || "" }),
      el("span", { class: "eo-who", text: ` · ${s.annotator}` }),
      el("span", { class: "eo-position", text: p ? `person ${s.position} of ${s.total}, most quoted first` : "nobody in the registry" })));
    root.append(el("div", { class: "eo-counts" },
      el("span", { class: "eo-people-count", text: `decisions by you: ${c.mine || 0} (about this person: ${c.mine_here || 0})` }),
      el("span", { class: "eo-all-count", text: `by everyone: ${c.everyone || 0} (about this person: ${c.here || 0})` })));
    root.append(notesLine());
    if (editing === "person") root.append(personForm(p || {}));
    if (p) {
      const body = el("div", { class: "eo-body" });
      const card = el("section", { class: "eo-card eo-person", "aria-label": "person" });
      card.append(
        el("div", { class: "eo-card-head" }, el("span", { class: "eo-person-name", text: p.person }), el("span", { class: "eo-id", text: p.person_id })),
        field("source type (t)", `${p.source_type} — ${p.source_type_why}`, "eo-source-type"),
        field("name forms", (p.aliases_list || []).join(" · "), "eo-aliases"),
        field("roles", p.roles, "eo-roles"),
        field("quoted", `${p.statements} statement(s) in ${p.articles} article(s), ${p.outlets} outlet(s)${p.first_date ? `, ${p.first_date} to ${p.last_date}` : ", no dates"}`, "eo-quoted"));
      const likely = el("div", { class: "eo-likely" }, el("span", { class: "eo-key", text: "maybe the same (m)" }));
      const names = el("ul", { class: "eo-likely-list" });
      for (const x of p.likely || []) names.append(el("li", { text: `${x.person} (${x.person_id}) — ${x.why}; ${x.note}` }));
      if (!(p.likely || []).length) names.append(el("li", { class: "eo-none", text: "nobody with the same surname or a similar name" }));
      likely.append(names);
      card.append(likely);
      const decided = el("div", { class: "eo-decided" }, el("span", { class: "eo-key", text: "decisions about this person" }));
      const list = el("ul", { class: "eo-decision-list" });
      for (const d of p.decisions || []) list.append(el("li", { text: `${d.action} ${d.person_id}${d.value ? ` ${d.value}` : ""} — by ${d.by || "?"}, ${d.time}` }));
      if (!(p.decisions || []).length) list.append(el("li", { class: "eo-none", text: "none yet: as the machine grouped the names" }));
      decided.append(list);
      card.append(decided);
      const said = el("section", { class: "eo-said", "aria-label": "statements in context" });
      said.append(el("div", { class: "eo-key", text: `a few of their ${p.statements} statement(s), one per article first` }));
      for (const row of p.statements_shown || []) {
        said.append(el("div", { class: "eo-said-one" }, source(row),
          el("div", { class: "eo-said-by", text: `as “${row.speaker}”${row.affiliation ? `, ${row.affiliation}` : ""}` }), contextLine(row.parts)));
      }
      body.append(card, said);
      root.append(body);
    }
    root.append(el("footer", { class: "eo-help", text:
      "m merge: someone is this person · x split off a name form or an article · r rename · t source type · " +
      "n not a person · / find a person · j k or → ← next/previous · u or ctrl-z undo your last decision · Esc cancel" }));
    root.append(el("div", { class: "eo-files", text: `decisions saved in ${s.files || ""} (your undo journal: ${s.journal || ""})` }));
    focusAfterDraw(hadFocus);
  }

  function focusAfterDraw(hadFocus) {
    const input = root.querySelector(".eo-chooser-input, .eo-rationale-input");
    if (input) { input.focus({ preventScroll: true }); const n = input.value.length; input.setSelectionRange(n, n); }
    else if (hadFocus) root.focus({ preventScroll: true });
  }

  function openChooser(kind) {
    editing = "person";
    form = { kind, typed: kind === "rename" ? ((state().person || {}).person || "") : "", at: kind === "rename" ? -1 : 0 };
    draw();
  }

  function peopleKey(event) {
    const s = state();
    const p = s.person;
    const key = event.key;
    let handled = true;
    if ((event.ctrlKey || event.metaKey) && key.toLowerCase() === "z") send("undo");
    else if (event.ctrlKey || event.metaKey || event.altKey) handled = false;
    else if (key === "j" || key === "ArrowRight") send("step", { by: 1 });
    else if (key === "k" || key === "ArrowLeft") send("step", { by: -1 });
    else if (key === "u") send("undo");
    else if (key === "/") openChooser("search");
    else if (key === "Escape") { editing = null; form = null; draw(); }
    else if (!p) handled = false;
    else if (key === "m") openChooser("merge");
    else if (key === "x") openChooser("split");
    else if (key === "r") openChooser("rename");
    else if (key === "t") openChooser("type");
    else if (key === "n") send("decide", { decision: "not-a-person", id: p.person_id });
    else handled = false;
    if (handled) { event.preventDefault(); event.stopPropagation(); }
  }

  // --- the topic queue: one proposition, the statements of many articles, most relevant first

  function drawQueue() {
    const s = state();
    const item = s.item;
    const hadFocus = startDraw("eo-queue-view");
    const topic = s.topic || {};
    const order = s.order || [];
    const more = s.matching > order.length - (s.tagged || 0) && s.matching > order.length ? ` (the best ${order.length} of ${s.matching} that match)` : "";
    root.append(el("header", { class: "eo-head" },
      el("strong", { class: "eo-proposition", text: topic.proposition || "" }),
      el("span", { class: "eo-who", text: ` · ${topic.topic} · ${s.annotator}` }),
      el("span", { class: "eo-progress", text: `${s.tagged} of ${s.total} tagged` }),
      el("span", { class: "eo-position", text: item ? `statement ${order.indexOf(s.current) + 1} of ${order.length}${more}` : "" })));
    root.append(queueCounts());
    root.append(notesLine());
    const body = el("div", { class: "eo-body" });
    const left = el("section", { class: "eo-item", "aria-label": "the statement in its paragraph" });
    const side = el("div", { class: "eo-side" });
    if (!item) {
      left.append(el("p", { text: `No statement mentions ${topic.keywords ? `the keywords ${topic.keywords}` : "the proposition's words"}: give the topic other keywords in the topics table.` }));
    } else {
      left.append(source(item));
      if (item.url) left.append(el("div", { class: "eo-url", text: item.url }));
      left.append(contextLine(item.parts));
      if (item.parts.length !== 3) left.append(el("blockquote", { class: "eo-text", text: item.text }));
      side.append(queueCard(item, s));
    }
    body.append(left, side);
    root.append(body, upcoming(s));
    root.append(el("footer", { class: "eo-help", text:
      "1 favor 2 against 3 neutral 4 mixed 0 not addressed (then the next untagged) · r rationale · " +
      "j k or → ← next/previous · u or ctrl-z undo · Esc cancel" }));
    root.append(el("div", { class: "eo-files", text: `saved in ${s.files || ""}` }));
    focusAfterDraw(hadFocus);
  }

  function queueCounts() {
    const s = state();
    const c = s.counts || {};
    const line = el("div", { class: "eo-counts" },
      el("span", { class: "eo-people-count", text: `stance labels by you: ${c.topic || 0} on this proposition, ${c.collection || 0} in this collection` }));
    if (s.stale) line.append(el("span", { class: "eo-stale", text: `${s.stale} of your labels are of statements the dataset no longer has as you labelled them (left out)` }));
    if (s.learner) line.append(learnerLine(s.learner));
    return line;
  }

  function queueCard(item, s) {
    const given = s.label;
    const card = el("section", { class: "eo-card", "aria-label": "statement" });
    card.append(
      el("div", { class: "eo-card-head" },
        el("span", { class: "eo-id", text: `${item.article_id} · ${item.id}` }),
        el("span", { class: given ? "eo-badge eo-reviewed" : "eo-badge eo-unreviewed", text: given ? `tagged by ${s.annotator}` : "not tagged" })),
      field("speaker", item.person && item.person !== item.speaker ? `${item.speaker} (${item.person})` : item.speaker, "eo-speaker"),
      field("affiliation", item.affiliation, "eo-affiliation"),
      field("kind", item.kind, "eo-kind"),
      el("div", { class: "eo-prop", text: (s.topic || {}).proposition || "" }));
    const buttons = el("div", { class: "eo-labels", role: "group", "aria-label": "your label" });
    for (const label of LABELS) {
      const chosen = given && given.label === label;
      const b = el("button", { type: "button", class: `eo-label${chosen ? " eo-chosen" : ""}`, "aria-pressed": chosen ? "true" : "false", "data-label": label, text: `${KEY_OF[label]} ${label}` });
      b.addEventListener("click", () => send("label", { key: s.current, label }));
      buttons.append(b);
    }
    card.append(buttons);
    if (s.suggestion) card.append(suggestion(s.suggestion));
    const found = item.found
      ? ` found by the search: ${item.why || item.matched}${item.score === null ? "" : ` · score ${fmt(item.score)}`}`
      : " in the queue because you labelled it (the search no longer finds it)";
    card.append(el("div", { class: "eo-machine eo-found" }, el("span", { class: "eo-machine-chip", text: "machine" }), el("span", { text: found })));
    if (s.ranking) card.append(el("div", { class: "eo-machine eo-ranking" }, el("span", { class: "eo-machine-chip", text: "machine" }), el("span", { text: ` ${s.ranking}` })));
    if (given && given.rationale) card.append(el("div", { class: "eo-rationale", text: `why (yours): ${given.rationale}` }));
    if (editing === "rationale") card.append(queueRationale(given));
    return card;
  }

  function queueRationale(given) {
    const box = el("form", { class: "eo-form eo-rationale-form" });
    const input = el("input", { class: "eo-rationale-input", value: (given && given.rationale) || "", "aria-label": "rationale" });
    box.append(el("label", { text: "why " }), input, el("button", { type: "submit", text: "save (Enter)" }));
    box.addEventListener("submit", (e) => { e.preventDefault(); editing = null; send("rationale", { key: state().current, text: input.value }); });
    return box;
  }

  // The statements around this one in the queue, with what you gave them.
  function upcoming(s) {
    const order = s.order || [];
    const at = Math.max(order.indexOf(s.current), 0);
    const tagged = new Set(s.tagged_keys || []);
    const list = el("ol", { class: "eo-queue-list", start: String(Math.max(at - 1, 0) + 1) });
    const nearby = s.nearby || {};
    for (const key of order.slice(Math.max(at - 1, 0), at + 6)) {
      const [article, id] = key.split("\u001f");
      const who = nearby[key] ? ` — ${nearby[key]}` : "";
      list.append(el("li", { class: `${tagged.has(key) ? "eo-settled" : "eo-open"}${key === s.current ? " eo-here" : ""}`, text: `${tagged.has(key) ? "✓ " : ""}${article} · ${id}${who}` }));
    }
    return list;
  }

  function queueKey(event) {
    const s = state();
    const key = event.key;
    let handled = true;
    if ((event.ctrlKey || event.metaKey) && key.toLowerCase() === "z") send("undo");
    else if (event.ctrlKey || event.metaKey || event.altKey) handled = false;
    else if (key === "j" || key === "ArrowRight" || key === "k" || key === "ArrowLeft") {
      const order = s.order || [];
      const i = order.indexOf(s.current) + (key === "j" || key === "ArrowRight" ? 1 : -1);
      if (i >= 0 && i < order.length) send("goto", { key: order[i] });
    }
    else if (key === "u") send("undo");
    else if (key === "Escape") { editing = null; draw(); }
    else if (!s.item) handled = false;
    else if (key in LABEL_KEYS) send("label", { key: s.current, label: LABEL_KEYS[key] });
    else if (key === "r") {
      if (s.label) { editing = "rationale"; draw(); }
      else showError("give a label first (1-4 or 0), then r for its rationale");
    }
    else handled = false;
    if (handled) { event.preventDefault(); event.stopPropagation(); }
  }

  function onKey(event) {
    const target = event.target;
    if (target && target !== root && ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)) {
      if (event.key === "Escape") { editing = null; form = null; draw(); event.preventDefault(); }
      event.stopPropagation();
      return;
    }
    if (dead || !connected()) {
      event.preventDefault();
      event.stopPropagation();
      if (dead) showGone(); else note("eo-message", "waiting for the kernel to answer…");
      return;
    }
    if (adjudicating()) { adjudicationKey(event); return; }
    if (mode() === "people") { peopleKey(event); return; }
    if (mode() === "queue") { queueKey(event); return; }
    const s = state();
    const st = current();
    const topics = s.topics || [];
    const key = event.key;
    const span = spanKey(event);
    let handled = true;
    if ((event.ctrlKey || event.metaKey) && key.toLowerCase() === "z") send("undo");
    else if (span && st && !event.ctrlKey && !event.metaKey) send("move", { id: st.id, edge: span[0], step: span[1], by: event.altKey ? "clause" : "word" });
    else if (event.ctrlKey || event.metaKey || event.altKey) handled = false;
    else if (key === "j" || key === "ArrowRight") step(1);
    else if (key === "k" || key === "ArrowLeft") step(-1);
    else if (key === "u") send("undo");
    else if (key === "t") { editing = "topic"; draw(); }
    else if (key === "n") { const sel = selection(); if (sel) send("add", sel); else showError("select the statement's words in the article first, then press n"); }
    else if (key === "Escape") { editing = null; form = null; draw(); }
    else if (!st) handled = false;
    else if (key === "a") send("review", { id: st.id });
    else if (key === "s") openForm("speaker");
    else if (key === "f") openForm("affiliation");
    else if (key === "q") send("kind", { id: st.id });
    else if (key === "e") { const sel = selection(); if (sel) send("span", { id: st.id, ...sel }); else showError("select the statement's words in the article first, then press e"); }
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

  function note(cls, text) {
    const notes = root.querySelector(".eo-notes");
    if (notes) notes.replaceChildren(el("div", { class: cls, text }));
  }
  const showError = (text) => note("eo-error", text);
  const showNoAnswer = () => { if (!dead) note("eo-error eo-no-answer", `no answer from the kernel for ${NO_ANSWER_MS / 1000} s: it is busy, or gone (then run the cell again; every change up to the last answered one is saved)`); };
  const showGone = () => note("eo-error eo-gone", dead);

  // The kernel behind this widget was restarted or shut down: say so at once, and take no more keys.
  function gone() {
    if (dead) return;
    dead = "this workbench is not connected to a running kernel (restarted, shut down, or never run): keys do nothing here. Run the cell again to continue; every change you made is saved.";
    draw();
  }

  root.addEventListener("keydown", onKey);
  root.addEventListener("mousedown", (e) => { if (!["INPUT", "BUTTON", "SELECT", "LI"].includes(e.target.tagName)) root.focus({ preventScroll: true }); });
  model.on("change:state", draw);
  model.on("change:article", draw);
  // The kernel is gone when ipywidgets says the comm went down (a restart or shutdown), or when the
  // first message gets no answer (a widget restored from a saved notebook has no kernel behind it).
  model.on("comm_live_update", gone);
  model.on("comm:close", gone);
  draw();
  send("hello");
  const hello = setTimeout(() => { if (!connected()) gone(); }, NO_ANSWER_MS);
  takeFocus();
  return () => { clearTimeout(slow); clearTimeout(hello); model.off("change:state", draw); };

  // A workbench that has just appeared takes the keyboard once it is on the page (JupyterLab moves
  // the focus to the next cell after running one, and on a busy machine the cells after it may finish
  // many seconds later: that is taken back), until the person clicks or types elsewhere. Only the
  // newest workbench on the page does so, so two never pull the keyboard back and forth.
  function takeFocus() {
    let acted = false;
    const me = {};
    window.eoFocusOwner = me;
    const mark = (e) => { if (!root.contains(e.target)) acted = true; };
    const grab = () => {
      if (!acted && !dead && root.isConnected && window.eoFocusOwner === me) root.focus({ preventScroll: true });
    };
    const keep = (e) => { if (!root.contains(e.target)) setTimeout(grab, 0); };
    document.addEventListener("mousedown", mark, true);
    document.addEventListener("keydown", mark, true);
    document.addEventListener("focusin", keep, true);
    const tries = setInterval(() => { if (root.isConnected && !root.contains(document.activeElement)) grab(); }, 100);
    setTimeout(() => {
      clearInterval(tries);
      document.removeEventListener("mousedown", mark, true);
      document.removeEventListener("keydown", mark, true);
      document.removeEventListener("focusin", keep, true);
    }, FOCUS_WINDOW_MS);
  }
}

export default { render };
