"""The shareable HTML report: the pieces the report notebook shows, and its rendering.

``render_report`` runs ``notebooks/05_report.ipynb`` with papermill for one article and
turns the executed copy into one self-contained HTML file with nbconvert (code hidden,
figures embedded, the interactive table's library inlined, nothing loaded from the
network). Both the executed notebook and the HTML are written atomically, so an
interrupted run leaves the previous report intact.

Safe to share: every string from an article, a web page, a curated table or a metadata
file is escaped where it is inserted (markupsafe builders; itables with allow_html=False;
the table's options embedded script-safe), and the page's Content-Security-Policy runs
only the inline scripts this module displayed, so markup that slipped through stays inert.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from markupsafe import Markup, escape

from utils import __version__
from utils.agreement import figure
from utils.analysis import (
    PEOPLE,
    SUGGESTED,
    Analysis,
    Suggested,
    analyse,
    counted,
    directed_suggestions,
    experts,
    origin,
    people_labelled,
    provenance,
    reviewed,
)
from utils.articles import Article, data_dir, resolve_article
from utils.curation import guard_output
from utils.errors import InputError
from utils.files import atomic_path, scratch_beside, sweep_leftovers, write_text_atomic
from utils.nesting import claims, grouped_order
from utils.schema import NOT_ADDRESSED, SCORE_COLUMNS
from utils.stance import BOOSTERS, HEDGES, stance_columns
from utils.suggest import RELEVANCE_LABELS
from utils.viz import Cell, contradictions, proposition_names, stance_cells

ROOT = Path(__file__).resolve().parents[1]
REPORT_NOTEBOOK = ROOT / "notebooks" / "05_report.ipynb"
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
RESOURCES = Path(__file__).resolve().parent / "resources"
TABLE_ID = "eo-statements"
SCRIPT_HASHES = "expert-opinions/script-hashes"  # output metadata: the scripts a cell may run
SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script\s*>", re.S | re.I)
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
# The report's Content-Security-Policy; {scripts} becomes the hashes of its own inline scripts
# (no 'unsafe-inline', so inline event handlers and javascript: URLs never run). blob: is where
# itables' hashed loader puts its bundled DataTables module; only running script can mint one.
# Styles stay 'unsafe-inline': highlight colours are style attributes, and itables and DataTables
# write style attributes and inject their stylesheet at run time. Article text reaches a style
# only escaped, and CSS here can neither run script nor load anything (default-src 'none').
POLICY = (
    "default-src 'none'; script-src {scripts} blob:; style-src 'unsafe-inline'; img-src data:; "
    "connect-src 'none'; base-uri 'none'; form-action 'none'"
)
EVALUATION_FILE = "devset.json"  # written by `make eval`
UNSEEN_FILES = "unseen*.json"  # one-time first readings of articles nobody tuned on, see data/README.md
UNSEEN_FIGURES = ("span_f1", "attributed_f1", "recall_direct")  # what the methods quote of each
SCORE_HEADERS = ("VADER", "TextBlob", "certainty")  # the score columns of the statements table


def header_html(analysis: Analysis) -> Markup:
    """The report's H1 (the article's title) and a line with outlet, date and source.

    The source becomes a link only when it is an http(s) URL; anything else is shown as text.
    """
    article = analysis.article
    meta = article.meta
    source = str(meta.get("url") or meta.get("source") or "")
    link = (
        Markup('<a href="{}" rel="noopener noreferrer">{}</a>').format(source, source)
        if re.match(r"https?://\S+$", source, re.I)
        else Markup("{}").format(source)
    )
    parts = [
        Markup("{}").format(value)
        for value in (meta.get("outlet"), meta.get("date"))
        if isinstance(value, str) and value.strip()
    ]
    if source:
        parts.append(Markup("Source: ") + link)
    line = Markup('<p class="eo-source">{}</p>').format(Markup(" · ").join(parts)) if parts else Markup()
    return Markup('<header class="eo-header"><h1>Who said what: {}</h1>{}</header>').format(
        article.title, line
    )


def headline(analysis: Analysis) -> Markup:
    """One paragraph saying what the report covers, in numbers (claims: nested quotes count once).

    The words follow what people did, not which files exist: "curated" only when people
    reviewed every statement, and a banner whenever some statements or stance labels are
    the machine's (:func:`banner`).
    """
    table, article = analysis.table, analysis.article
    names = experts(table)
    date = f", {article.meta['date']}" if article.meta.get("date") else ""
    return banner(table) + Markup(
        "<p class='eo-lede'><b>{title}</b>{date}. {count} attributed statements ({claims} claims) from "
        "{speakers} speakers, {origin}; {reviewed}; {direct} direct quotes and {paraphrases} paraphrases. "
        "Experts compared: {names}.</p>"
    ).format(
        title=article.title,
        date=date,
        count=len(table),
        claims=len(claims(table)),
        speakers=table["speaker"].nunique(),
        origin=origin(table),
        reviewed=provenance(analysis.table),
        direct=int((table["kind"] == "direct").sum()),
        paraphrases=int((table["kind"] == "paraphrase").sum()),
        names=", ".join(names) if names else "none identified",
    )


def banner(table: pd.DataFrame) -> Markup:
    """A warning above the report whenever statements or stance labels are not all people's work.

    It says how much people reviewed and labelled, in numbers; a fully reviewed and labelled
    article gets none.
    """
    total, checked, labelled = len(table), int(reviewed(table).sum()), people_labelled(table)
    if checked == total and labelled == total:
        return Markup()
    if not checked:
        statements = "The statements were found by the extractor and nobody has reviewed them yet"
    elif checked < total:
        statements = (
            f"{checked} of {total} statements were reviewed by people; "
            "the others are as the extractor found them"
        )
    else:
        statements = "Every statement was reviewed by people"
    if not labelled:
        stance = "every stance shown is a machine suggestion, marked “suggested”"
    elif labelled < total:
        stance = (
            f"{labelled} of {total} statements carry stance labels given by people, the others only machine "
            "suggestions, marked “suggested”"
        )
    else:
        stance = "every stance label was given by people"
    title = "Automatic analysis." if not checked and not labelled else "Partly reviewed."
    return Markup(
        "<p class='eo-banner' role='note'><b>{}</b> {}; {}. See Methods and caveats before quoting "
        "anything from this report.</p>"
    ).format(title, statements, stance)


def expert_summary_html(analysis: Analysis, speakers: list[str]) -> Markup:
    """One line per compared speaker: claims, stance per topic, tone and certainty (claims counted once).

    Stance is counted from the same cells as the stance figure (:func:`utils.viz.stance_cells`),
    people's labels and the machine's suggestions apart, so text and figure always agree.
    """
    table = claims(analysis.table)
    names = proposition_names(analysis.topics)
    full = dict(zip(analysis.topics["topic"], analysis.topics["proposition"], strict=True))
    cells = stance_cells(analysis.table, analysis.topics, speakers)
    both = {cell.by for cell in cells} == {PEOPLE, SUGGESTED}
    lines = []
    for speaker in speakers:
        rows = table[table["speaker"] == speaker]
        statements = int((analysis.table["speaker"] == speaker).sum())
        if rows.empty:
            continue
        stances = Markup("; ").join(
            Markup('<span title="{}">{}</span>: {}').format(full[topic], names[topic], said)
            for topic in names
            if (said := _stance_said([c for c in cells if c.speaker == speaker and c.topic == topic], both))
        )
        lines.append(
            Markup(
                "<li><b>{speaker}</b>: {claims} claim{s}{statements}; {stances}; tone {tone} "
                "(VADER {vader:+.2f}); {certainty} (certainty {score:+.2f}).</li>"
            ).format(
                speaker=speaker,
                claims=len(rows),
                s="" if len(rows) == 1 else "s",
                statements=f" ({statements} statements)" if statements != len(rows) else "",
                stances=stances or "no topic addressed",
                tone=_tone(rows["vader_compound"].mean()),
                vader=rows["vader_compound"].mean(),
                certainty=rows["epistemic"].mode().iloc[0] if len(rows) else "",
                score=rows["certainty"].mean(),
            )
        )
    if not lines:
        return Markup()
    return Markup('<ul class="eo-summary" aria-label="one line per expert">{}</ul>').format(
        Markup("").join(lines)
    )


def _stance_said(cells: list[Cell], both: bool) -> str:
    """One topic's counts for one speaker: people's, then the machine's, never added together."""
    parts = []
    for cell in cells:
        if cell.counts:
            words = counted(cell.counts)
            parts.append(
                f"suggested {words}" if cell.by == SUGGESTED else f"{words} by people" if both else words
            )
    return "; ".join(parts)


def _tone(score: float) -> str:
    """VADER's own thresholds (±0.05) in words."""
    return "positive" if score >= 0.05 else "negative" if score <= -0.05 else "neutral"


def footer_html(analysis: Analysis, now: datetime | None = None) -> Markup:
    """When and by which version the report was made, and how much of its data people reviewed."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return Markup(
        '<footer class="eo-footer">Generated {time} UTC by expert-opinions {version}. '
        "Data: {provenance}; stance labels {stance}.</footer>"
    ).format(
        time=moment.strftime("%Y-%m-%d %H:%M"),
        version=__version__,
        provenance=provenance(analysis.table),
        stance=_stance_provenance(analysis.table),
    )


def _stance_provenance(table: pd.DataFrame) -> str:
    people = int((table["stance_source"] == "curated").sum())
    if people == len(table):
        return "given by people"
    return f"given by people for {people} of {len(table)} statements, suggested automatically for the rest"


def focus_topic(analysis: Analysis) -> pd.Series:
    """The topic to set sentiment against: where lexicon and people disagree most, then the most discussed."""
    table, names = analysis.table, set(experts(analysis.table)) or set(analysis.table["speaker"])
    subset = table[table["speaker"].isin(names)]

    def weight(topic: str) -> tuple[int, int]:
        column = f"stance_{topic}"
        return len(contradictions(subset, column)), int((subset[column] != NOT_ADDRESSED).sum())

    best = max(analysis.topics["topic"], key=weight)
    return analysis.topics.set_index("topic", drop=False).loc[best]


# --- one view of a statement: what every part of the page shows of it -----------------------------


@dataclass(frozen=True)
class StatementView:
    """A statement as the report shows it, in plain text (each builder escapes it for its place).

    The highlight's tooltip, the interactive table and its details, the printed table and the
    methods' examples all read a statement from here, so how a speaker, a stance or a score is
    shown is decided once; report.js receives the pieces as JSON lists and never splits text.
    """

    id: str
    speaker: str
    affiliation: str
    kind: str
    text: str
    parent: str  # the statement this one sits inside ("" for a claim)
    reviewed: bool
    role: str
    cue: str
    stances: tuple[tuple[str, str], ...]  # (topic as readers see it, label) for each topic addressed
    suggested: bool  # the stance labels are the machine's suggestions, not people's
    vader: float
    textblob: float
    epistemic: str
    hints: tuple[tuple[str, Suggested], ...] = ()  # (topic as shown, suggestion) for each suggested topic

    @property
    def who(self) -> str:
        """The speaker with the affiliation the article gives: "Mick Ryan (retired general)"."""
        return f"{self.speaker} ({self.affiliation})" if self.affiliation else self.speaker

    @property
    def stance(self) -> str:
        """People's labels ("stance: topic: favor"), or the machine's suggestions with how sure and why."""
        if self.suggested:
            listed = "; ".join(f"{topic}: {hint.words()}" for topic, hint in self.hints if hint.shown)
            return "suggested by the machine, not reviewed: " + (listed or "no topic addressed")
        listed = "; ".join(f"{topic}: {label}" for topic, label in self.stances) or "no topic addressed"
        return f"stance: {listed}"

    def topic_cell(self, label: str) -> str:
        """A topic's cell in the table: people's label as it is, a suggestion prefixed "suggested:"."""
        return f"suggested: {label}" if self.suggested else label

    def tip(self) -> list[str]:
        """The tooltip's lines: who, what kind, stance, scores."""
        kind = f"{self.kind} · {self.id}" + (f" · within {self.parent}" if self.parent else "")
        return [
            self.who,
            kind + ("" if self.reviewed else " · not reviewed"),
            self.stance,
            f"VADER {self.vader:+.2f} · TextBlob {self.textblob:+.2f} · {self.epistemic}",
        ]

    def statement_cell(self) -> str:
        """The table's statement cell: a nested statement says where it sits, an unreviewed one says so."""
        within = f"↳ within {self.parent} · " if self.parent else ""
        return within + ("" if self.reviewed else "(not reviewed) ") + self.text

    def details(self) -> dict[str, object]:
        """The table's details cell (JSON for report.js, which folds all but the first part)."""
        parts = [
            self.role,
            self.affiliation,
            f"cue: {self.cue}" if self.cue else "",
            self.stance if self.suggested else "stance by people",
            "reviewed" if self.reviewed else "not reviewed",
        ]
        return {"parts": [part for part in parts if part], "parent": self.parent, "suggested": self.suggested}


def statement_views(analysis: Analysis) -> list[StatementView]:
    """Every statement's view, nested statements right after their parent (:func:`grouped_order`)."""
    table = grouped_order(analysis.table)
    names = proposition_names(analysis.topics)
    return [
        statement_view(row, names, checked, analysis)
        for row, checked in zip(table.itertuples(), reviewed(table), strict=True)
    ]


def statement_view(row, names: dict[str, str], checked: bool, analysis: Analysis) -> StatementView:
    """The view of one row of the analysis table (with ``parent``); ``names``: topic -> shown name."""
    hints = tuple(
        (name, found)
        for topic, name in names.items()
        if (found := analysis.suggestion(row.id, topic)) is not None
    )
    return StatementView(
        id=row.id,
        speaker=row.speaker,
        affiliation=row.affiliation,
        kind=row.kind,
        text=row.text,
        parent=row.parent,
        reviewed=bool(checked),
        role=row.role,
        cue=row.cue,
        stances=tuple(
            (name, label)
            for topic, name in names.items()
            if (label := getattr(row, f"stance_{topic}")) != NOT_ADDRESSED
        ),
        suggested=row.stance_source == "automatic",
        vader=float(row.vader_compound),
        textblob=float(row.tb_polarity),
        epistemic=row.epistemic,
        hints=hints,
    )


def statements_frame(analysis: Analysis) -> pd.DataFrame:
    """The statements as the report's interactive table shows them, every cell plain text.

    Rows are grouped: a statement nested in another of its speaker follows its parent and
    says "within sNN". Topic columns are headed by their (shortened) proposition and hold
    people's labels as they are and the machine's prefixed "suggested:" (its confidence and
    evidence are in the details cell), so a filter pane lists them apart; role,
    affiliation, cue and review status share one details cell (JSON that report.js folds) so
    the table fits a laptop. The id cell holds the statement id; the report's script turns it
    into a link to the statement's highlight in the article (built with DOM calls).
    """
    table = grouped_order(analysis.table)
    names = proposition_names(analysis.topics)
    views = statement_views(analysis)
    return pd.DataFrame(
        {
            "id": [v.id for v in views],
            "speaker": [v.speaker for v in views],
            "kind": [v.kind for v in views],
            "statement": [v.statement_cell() for v in views],
            **{
                name: [v.topic_cell(label) for v, label in zip(views, table[f"stance_{topic}"], strict=True)]
                for topic, name in names.items()
            },
            "VADER": table["vader_compound"].round(2).to_numpy(),
            "TextBlob": table["tb_polarity"].round(2).to_numpy(),
            "certainty": [v.epistemic for v in views],
            "details": [json.dumps(v.details(), ensure_ascii=False) for v in views],
        }
    )


def table_cells_html(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell and header escaped for the table library (itables, allow_html=True).

    DataTables writes cells into attributes as well as text (its filter panes build
    ``title="…"`` from them), so cells are escaped in full, quotes included. Headers go
    only into text and are read back as the panes' placeholders, where DataTables decodes
    ``&lt; &gt; &quot; &amp;`` but no other entity: they are escaped with those alone.
    """
    headers = {
        c: str(c).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
        for c in frame.columns
    }
    cells = frame.apply(lambda column: column.map(lambda v: str(escape(v)) if isinstance(v, str) else v))
    return cells.rename(columns=headers)


def statements_table_html(analysis: Analysis) -> str:
    """The interactive statements table: search, sort, and filter panes for speaker, kind, stance.

    Every cell and header is escaped here (:func:`table_cells_html`) and the options itables
    embeds in its script are re-encoded so that no ``<``, ``>`` or ``&`` appears in the script at all.
    """
    from itables import to_html_datatable

    frame = statements_frame(analysis)
    columns = list(frame.columns)  # the positions of the escaped headers too
    topics = list(proposition_names(analysis.topics).values())
    filtered = [columns.index(c) for c in ("speaker", "kind", *topics)]
    page = to_html_datatable(
        table_cells_html(frame),
        table_id=TABLE_ID,
        showIndex=False,
        allow_html=True,  # the cells are escaped here, quotes included (table_cells_html)
        format_floats_in_python=False,  # else itables formats numbers with eval'd code, which the CSP forbids
        classes="display compact",
        style={"width": "100%", "table-layout": "auto"},
        maxBytes=0,
        layout={"top1": "searchPanes"},
        lengthMenu=[10, 25, 50, 100, -1],
        pageLength=25,
        autoWidth=False,
        searchPanes={"columns": filtered, "cascadePanes": True, "initCollapsed": True, "layout": "columns-3"},
        columnDefs=[
            {"className": "dt-left", "targets": "_all"},
            {"className": "eo-statement-cell", "targets": [columns.index("statement")]},
            {"className": "eo-topic-cell", "targets": [columns.index(c) for c in topics]},
            {
                "className": "eo-score-cell",
                "targets": [columns.index(c) for c in SCORE_HEADERS],
            },
            # not searched: a click on a highlight searches for its id, which must find that row only
            {"className": "eo-details-cell", "searchable": False, "targets": [columns.index("details")]},
            {"className": "eo-link-cell", "targets": [columns.index("id")]},
        ],
    )
    return script_safe_options(page)


def topic_key_html(analysis: Analysis) -> Markup:
    """The topics' full propositions under the short names that head the table's columns."""
    names = proposition_names(analysis.topics)
    items = Markup("").join(
        Markup("<div><dt>{}</dt><dd>{}</dd></div>").format(names[t.topic], t.proposition)
        for t in analysis.topics.itertuples(index=False)
    )
    return Markup('<dl class="eo-topic-key" aria-label="topics">{}</dl>').format(items)


def _printed_stance(view: StatementView) -> Markup:
    """People's labels in bold; the machine's suggestions boxed, with how sure and from what."""
    if not view.suggested:
        return Markup("<br>").join(
            Markup("{}: <b>{}</b>").format(topic, label) for topic, label in view.stances
        )
    boxes = Markup("").join(
        Markup('<span class="eo-suggestion"><b>suggested</b> {}: {}</span>').format(topic, hint.words())
        for topic, hint in view.hints
        if hint.shown
    )
    return boxes or Markup("<i>not labelled by people; nothing suggested</i>")


def print_table_html(analysis: Analysis) -> Markup:
    """Every statement as a static table, shown only in print (the interactive one shows a page of rows)."""
    rows = []
    for view in statement_views(analysis):
        stances = _printed_stance(view)
        rows.append(
            Markup(
                '<tr class="{cls}"><td>{id}</td><td>{speaker}<br><small>{affiliation}</small></td>'
                "<td>{within}{kind}: {text}{review}</td><td>{stances}</td>"
                "<td>VADER {vader:+.2f}<br>TextBlob {tb:+.2f}<br>{epistemic}</td></tr>"
            ).format(
                cls="eo-child" if view.parent else "eo-claim",
                id=view.id,
                speaker=view.speaker,
                affiliation=view.affiliation,
                within=Markup("<i>within {}</i> · ").format(view.parent) if view.parent else "",
                kind=view.kind,
                text=view.text,
                review="" if view.reviewed else Markup(' <span class="eo-unreviewed">not reviewed</span>'),
                stances=stances or "no topic addressed",
                vader=view.vader,
                tb=view.textblob,
                epistemic=view.epistemic,
            )
        )
    return Markup(
        '<table class="eo-print-table eo-print-only"><thead><tr><th>id</th><th>speaker</th>'
        "<th>statement</th><th>stance</th><th>scores</th></tr></thead><tbody>{}</tbody></table>"
    ).format(Markup("").join(rows))


TABLE_TOOLS = Markup(
    '<div class="eo-table-tools"><button type="button" class="eo-clear-filter" hidden>'
    "Clear filter: show all statements</button></div>"
)


def script_safe_options(page: str) -> str:
    """itables' HTML with its embedded options (``let dt_args = {...}``) written script-safe."""
    marker = "let dt_args = "
    start = page.index(marker) + len(marker)
    options, end = json.JSONDecoder().raw_decode(page, start)
    return page[:start] + script_json(options) + page[end:]


def script_json(value: object) -> str:
    """JSON that can sit inside a <script>: no ``</script>``, ``<!--`` or ``<script`` can end or alter it."""
    text = json.dumps(value, ensure_ascii=True, sort_keys=True)  # ASCII: U+2028/2029 escaped too
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def show_statements(analysis: Analysis) -> None:
    """Display the statements: the topic key, the interactive table, and its print-only static copy."""
    page = topic_key_html(analysis) + TABLE_TOOLS + Markup(statements_table_html(analysis))
    show_with_scripts(str(page + print_table_html(analysis)), expected=2)


def page_setup() -> None:
    """Load the table library (offline) and the report's stylesheet and script, once, at the top.

    itables' own setup output is captured and shown again with the hashes of its scripts,
    so the exported page can allow exactly these scripts and no other.
    """
    from IPython.utils.capture import capture_output
    from itables import init_notebook_mode

    with capture_output(stdout=False, stderr=False) as captured:
        init_notebook_mode(all_interactive=False, connected=False)
    library = "".join(output.data.get("text/html", "") for output in captured.outputs)
    show_with_scripts(library + page_assets())


def page_assets() -> str:
    """The report's stylesheet and script (fixed files, no article data)."""
    css = "\n".join((RESOURCES / name).read_text(encoding="utf-8") for name in ("cards.css", "report.css"))
    js = (RESOURCES / "report.js").read_text(encoding="utf-8")
    return f"<style>{css}</style><script>{js}</script>"


def show_with_scripts(page: str, expected: int | None = None) -> None:
    """Display HTML built by this module, recording its inline scripts' hashes for the page's CSP.

    ``expected`` is how many scripts the HTML must hold: a different count means some text
    escaped its escaping, and the HTML is refused rather than shown.
    """
    from IPython.display import HTML, display

    hashes = script_hashes(page)
    opened = len(re.findall(r"<script\b", page, re.I))
    if expected is not None and expected != opened:
        raise RuntimeError(f"expected {expected} scripts in the report's HTML, found {opened}")
    display(HTML(page), metadata={SCRIPT_HASHES: hashes})


def script_hashes(page: str) -> list[str]:
    """The CSP hash source (``'sha256-…'``) of every inline script in ``page``."""
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii") + "'"
        for body in SCRIPT.findall(page)
    ]


def article_html(analysis: Analysis, palette: dict[str, str]) -> Markup:
    """The article with every statement highlighted in its speaker's colour.

    Hovering or focusing a highlight shows speaker, kind, stance and sentiment;
    activating it filters the statements table to that statement. Overlapping
    statements (a quoted fragment inside a paraphrase) become nested highlights.
    The text sits in a ``<pre>``: nbconvert re-serialises the page with BeautifulSoup, which
    turns a run of only spaces and line breaks between two tags (a paragraph break between two
    highlights) into one line break everywhere except inside ``<pre>`` and ``<textarea>``.
    """
    table = grouped_order(analysis.table)
    spans = [
        (int(start), int(end), _mark_open(view, palette))
        for start, end, view in zip(table["start"], table["end"], statement_views(analysis), strict=True)
    ]
    legend = Markup("").join(
        Markup('<span class="eo-key" style="--c:{}">{}</span>').format(colour(palette, s), s)
        for s in dict.fromkeys(analysis.table["speaker"])
    )
    text = analysis.article.text
    return Markup(
        '<div class="eo-article-wrap" data-table="{table}">'
        '<div class="eo-legend" aria-label="speaker colours">{legend}</div>'
        '<article class="eo-article" lang="en"><pre class="eo-article-text">{first}{text}</pre></article>'
        '<div id="eo-tip" role="tooltip" hidden></div></div>'
    ).format(
        table=TABLE_ID,
        legend=legend,
        first="\n" if text.startswith("\n") else "",  # a browser drops one newline right after <pre>
        text=highlight(text, spans),
    )


def colour(palette: dict[str, str], speaker: str) -> str:
    """A speaker's colour as ``#rrggbb``; anything else in a palette becomes grey, never CSS."""
    value = palette.get(speaker, "")
    return value if COLOUR.fullmatch(value) else "#777777"


def highlight(text: str, spans: list[tuple[int, int, Markup]]) -> Markup:
    """Escape ``text`` and wrap each (start, end, opening tag) span in that tag and ``</mark>``.

    Spans are nested: one that starts inside another and runs past its end is cut at that
    end, so the HTML stays well formed and every span still gets exactly one element.
    """
    out: list[Markup] = []
    stack: list[int] = []
    position = 0

    def close_to(limit: int) -> None:
        nonlocal position
        while stack and stack[-1] <= limit:
            end = stack.pop()
            out.append(escape(text[position:end]) + Markup("</mark>"))
            position = end

    for start, end, tag in sorted(spans, key=lambda s: (s[0], -s[1])):
        start = min(max(start, position), len(text))
        close_to(start)
        end = min(max(end, start), stack[-1] if stack else len(text))
        out.append(escape(text[position:start]) + Markup(tag))
        position = start
        stack.append(end)
    close_to(len(text))
    out.append(escape(text[position:]))
    return Markup("").join(out)


def _mark_open(view: StatementView, palette: dict[str, str]) -> Markup:
    """A highlight's opening tag; its tooltip lines travel as a JSON list (``data-tip``)."""
    return Markup(
        '<mark class="eo-hl eo-{kind}" id="stmt-{id}" data-id="{id}" data-tip="{tip}" tabindex="0" '
        'aria-describedby="eo-tip" style="--c:{colour}">'
    ).format(
        kind=view.kind,
        id=view.id,
        tip=json.dumps(view.tip(), ensure_ascii=False),
        colour=colour(palette, view.speaker),
    )


def methods_html(analysis: Analysis) -> Markup:
    """How every number in the report is obtained, how far to trust it, and what it gets wrong."""
    parts = [
        _statements_method(analysis),
        _stance_method(analysis),
        _certainty_method(),
        _sentiment_method(analysis),
    ]
    return Markup('<div class="eo-methods">{}</div>').format(Markup("").join(parts))


def _statements_method(analysis: Analysis) -> Markup:
    table = analysis.table
    if len(table) and reviewed(table).all():
        source = Markup(
            "The statements come from the article's curated tables, reviewed by people: every direct quote "
            "and paraphrase attributed to a speaker, with its character offsets in the article text; {}."
        ).format(provenance(table))
    else:
        source = Markup(
            "<b>The statements were found automatically</b> by the rule-based extractor (quotation marks, "
            "reporting verbs, speaker names and pronouns); {}: expect some missed, extra or "
            "misattributed statements{}.{}"
        ).format(
            provenance(table),
            " among those nobody reviewed" if reviewed(table).any() else "",
            _extraction_quality(),
        )
    skipped = analysis.curation.skipped
    if skipped:
        source += Markup(
            " <b>{} of the article could not be read by the extractor and {} skipped:</b> "
            "the statements in {} are missing ({})."
        ).format(
            f"{len(skipped)} paragraph" + ("s" if len(skipped) > 1 else ""),
            "were" if len(skipped) > 1 else "was",
            "them" if len(skipped) > 1 else "it",
            "; ".join(skipped),
        )
    nested = len(table) - len(claims(table))
    nesting = (
        Markup(
            " {} statements sit inside another statement of the same speaker (a quoted fragment in a "
            "paraphrase, or a quote within a quote): they keep their own rows and are shown under their "
            "parent, and counts and figures count claims ({} claims from {} statements)."
        ).format(nested, len(table) - nested, len(table))
        if nested
        else Markup()
    )
    return Markup(
        "<h4>Statements</h4><p>{} Speakers, roles and affiliations are as the article gives them.{}</p>"
    ).format(source, nesting)


def _extraction_quality() -> str:
    """What the published evaluations say about the extractor: every first reading of unseen
    articles (``data/evaluation/unseen*.json``), the worst named as the one to expect, then the
    development set's figures."""
    unseen, devset = unseen_evaluations(), _published(EVALUATION_FILE)
    parts = []
    if unseen:
        readings = "; ".join(_reading(found["articles"], found["micro"]) for found in unseen)
        worst = min(found["micro"]["attributed_f1"] for found in unseen)
        parts.append(
            " Read for the first time, on news articles it had not been developed on (annotated by us), "
            "it scored span F1 (the statement found) and attributed F1 (found and given to the right "
            f"speaker) {readings}. Expect the worst of these, attributed F1 {worst:.2f}, on a new article."
        )
    if devset:
        micro = devset["micro"]
        parts.append(
            f" On the 8-article development set its rules were built on it scores {micro['span_f1']:.2f} "
            f"and {micro['attributed_f1']:.2f}; expect the unseen-article figures, not these."
        )
    return "".join(parts)  # plain text: the caller escapes it


def _reading(articles: int, micro: dict) -> str:
    return (
        f"on {articles} articles, span F1 {micro['span_f1']:.2f} and attributed F1 "
        f"{micro['attributed_f1']:.2f}, direct-quote recall {micro['recall_direct']:.2f}"
    )


def unseen_evaluations() -> list[dict]:
    """Every published first reading of articles the extractor was not developed on, oldest first.

    Each is a ``data/evaluation/unseen*.json`` file (see data/README.md) with ``articles``,
    ``measured`` and ``micro``; one that cannot be read or lacks a figure is left out.
    """
    found = []
    for path in sorted((data_dir() / "evaluation").glob(UNSEEN_FILES)):
        reading = _published(path.name)
        micro = reading.get("micro", {})
        if reading.get("articles") and all(k in micro for k in UNSEEN_FIGURES):
            found.append(reading)
    return sorted(found, key=lambda r: str(r.get("measured", "")))


def _stance_method(analysis: Analysis) -> Markup:
    table = analysis.table
    share = (table["stance_source"] == "curated").mean() if len(table) else 0.0
    if share == 1:
        text = (
            "Stance on each topic (favor, against, neutral, mixed, or not addressed) is a human judgement "
            "made by reading: every statement carries labels given by people. "
        )
    else:
        text = (
            f"Stance on each topic (favor, against, neutral, mixed, or not addressed) is partly automatic: "
            f"{share:.0%} of statements carry labels given by people. The others get a suggestion, marked "
            "“suggested” wherever it is shown and counted apart from people's labels: a statement "
            "addresses a topic when it mentions one of the topic's keywords (shown as “addressed”, no "
            f"direction) or, once people gave {RELEVANCE_LABELS} labels of each kind, when a model learned "
            "from their labels reads the keywords in it and in the paragraphs around it; where people "
            "labelled some statements of this article, a direction is added from the labels they gave the "
            "same speaker on the topic, or from a model learned from their labels when it is confident, "
            "with what it went by. "
            "Suggestions read words, not arguments, and never come from the sentiment scores. "
            + _learned_method(analysis)
        )
    agreement = analysis.agreement
    if agreement:
        text += (
            f"Checked against the {agreement.pairs} statement–topic pairs people labelled in this "
            f"article, the keyword suggestions find whether a topic is addressed "
            f"{agreement.relevance_accuracy:.0%} of the time (Cohen's κ = {agreement.relevance_kappa:.2f}; "
            f"on the full labels κ = {agreement.kappa:.2f}). "
            "Treat automatic labels as a starting point for a person, not as findings."
        )
    else:
        text += (
            "Nobody has labelled a statement of this article yet, so every stance shown is a suggestion "
            "and how often suggestions agree with people is unmeasured here."
        )
    return Markup("<h4>Stance</h4><p>{}{}</p>").format(text, _people_agreement(analysis))


def _learned_method(analysis: Analysis) -> str:
    """How many directions were suggested, and how far they agree with people (or that nobody knows)."""
    directed = directed_suggestions(analysis)
    if not directed:
        return ""
    learned = analysis.learner
    said = f"{directed} suggestions give a direction. "
    if learned is None or learned.kappa is None:
        return said + (
            "There are too few people's labels here to check on held-out labels how often such directions "
            "are right: treat them as unmeasured. "
        )
    return said + (
        f"Checked on people's labels they did not learn from, the suggestions agree with people with κ "
        f"{learned.kappa:.2f} on the {learned.coverage:.0%} of pairs where one is shown (κ "
        f"{learned.prior_kappa:.2f} for the keywords and always the most common label). "
    )


def _people_agreement(analysis: Analysis) -> Markup:
    """How far the people who tagged this article agree (``opinions agreement``), when two or more did."""
    measured = analysis.between_people
    if measured is None:
        return Markup()

    return Markup(
        " {} people tagged this article independently ({}): on the {} statement–topic pairs they all "
        "labelled, {} is {} ({} on whether a topic is addressed, {} on the direction of the {} pairs they "
        "all call addressed), with {} disagreements."
    ).format(
        len(measured.annotators),
        ", ".join(measured.annotators),
        measured.pairs,
        measured.coefficient,
        figure(measured.kappa),
        figure(measured.relevance_kappa),
        figure(measured.direction_kappa),
        measured.direction_pairs,
        len(measured.disagreements),
    )


def _certainty_method() -> Markup:
    return Markup(
        "<h4>Certainty</h4><p>How sure a statement sounds is counted from cue words: hedges lower it, "
        "boosters raise it; the score runs from −1 (only hedges) to +1 (only boosters). On paraphrases it "
        "measures the reporter's wording as much as the speaker's. "
        "<details><summary>The cue lists</summary><p><b>Hedges:</b> {hedges}, may (lower case).</p>"
        "<p><b>Boosters:</b> {boosters}.</p></details></p>"
    ).format(hedges=", ".join(HEDGES), boosters=", ".join(BOOSTERS))


def _sentiment_method(analysis: Analysis) -> Markup:
    columns = stance_columns(analysis.topics)
    names = proposition_names(analysis.topics)
    table = claims(analysis.table)
    clashes = (
        pd.concat([contradictions(table, c).assign(topic=c.removeprefix("stance_")) for c in columns])
        if columns
        else pd.DataFrame()
    )
    item = Markup(
        "<li>{speaker} ({id}, “{topic}”: {stance}{by}) — {scorer} {score:+.2f}: “{text}{more}”</li>"
    )
    views = {view.id: view for view in statement_views(analysis)}
    listed = Markup("").join(
        item.format(
            speaker=(view := views[r.id]).speaker,
            id=view.id,
            topic=names[r.topic],
            stance=dict(view.stances).get(names[r.topic], NOT_ADDRESSED),
            by=", suggested" if view.suggested else "",
            scorer=r.scorer,
            score=r.score,
            text=view.text[:140],
            more="…" if len(view.text) > 140 else "",
        )
        for r in clashes.drop_duplicates(["id", "scorer"]).itertuples()
    )
    automatic = (table["stance_source"] == "automatic").any()
    labels = "stance label" if automatic else "stance label given by people"
    warning = (
        Markup(
            "<p>In this article {} claims get lexicon scores that point the other way from their {}:"
            "</p><ul>{}</ul>"
        ).format(clashes["id"].nunique(), labels, listed)
        if len(clashes)
        else Markup()
    )
    return Markup(
        "<h4>Sentiment</h4><p>TextBlob polarity and subjectivity and VADER compound are word lexicons: "
        "they score the words of a statement ({columns}), not its forecast. Typographic "
        "apostrophes are straightened and “n’t” spelled out first, because both libraries otherwise miss "
        "negations such as “isn’t”. A grim forecast in gentle words can score positive, so read sentiment "
        "beside stance, never instead of it.</p>{warning}"
    ).format(columns=", ".join(SCORE_COLUMNS), warning=warning)


def _published(name: str) -> dict:
    """A published evaluation from ``data/evaluation`` (see data/README.md), or {} when absent."""
    try:
        return json.loads((data_dir() / "evaluation" / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def render_report(
    ref: str,
    out_dir: str | Path = "reports",
    timeout: int = 600,
    pdf: bool = False,
    keep_notebook: bool = False,
    progress: Callable[[str], None] = lambda step: None,
) -> Path:
    """Run the report notebook for one article and write ``<out_dir>/<article-id>.html``.

    With ``pdf`` the page is also printed to ``<article-id>.pdf`` (see :func:`print_pdf`); with
    ``keep_notebook`` the executed notebook is kept as ``<article-id>.ipynb`` (for debugging the
    report: it holds every output, about 1.5 MB). ``progress`` hears each step as it starts.

    The executed copy is written beside its final name (``.NAME.*.part``) and renamed into
    place only when the page is complete, so no scratch file outlives a normal end. The kernel's
    connection file (it holds the key that signs the kernel's messages) is written into a private
    folder beside the page (:func:`private_folder`) and deleted as soon as the kernel has started.
    """
    import papermill

    article = resolve_article(ref)
    out_dir = Path(out_dir)
    executed = out_dir / f"{article.article_id}.ipynb"
    page = out_dir / f"{article.article_id}.html"
    printed = out_dir / f"{article.article_id}.pdf"
    for output in (page, *([executed] if keep_notebook else []), *([printed] if pdf else [])):
        guard_output(output, [article.path])
    if pdf:
        pdf_printer(printed)  # no browser: say so before a minute of rendering
    progress("extracting and scoring statements")
    analyse(article)  # bad input fails here, with its one-line error, before a kernel starts
    progress("running the report notebook")
    with (
        private_folder(page) as private,
        atomic_path(executed) if keep_notebook else scratch_beside(executed) as scratch,
    ):
        connection = private / "kernel.json"
        try:
            with warnings.catch_warnings():  # papermill warns about a name not ending in .ipynb
                warnings.filterwarnings("ignore", message="The specified file .* does not end in")
                papermill.execute_notebook(
                    str(REPORT_NOTEBOOK),
                    str(scratch),
                    config=_kernel_config(connection),
                    on_notebook_start=lambda **_: connection.unlink(missing_ok=True),
                    parameters={"article": _article_argument(ref, article, private)},
                    cwd=str(REPORT_NOTEBOOK.parent),
                    progress_bar=False,
                    execution_timeout=timeout,
                    kernel_name="python3",
                )
        except papermill.PapermillExecutionError as exc:
            failed = out_dir / f"{article.article_id}.failed.ipynb"
            with atomic_path(failed) as partial:
                partial.write_bytes(scratch.read_bytes())
            raise InputError(
                ref,
                f"the report notebook failed: {exc.ename}: {exc.evalue}",
                f"open {failed} to see which cell",
            ) from None
        progress("rendering the page")
        html_text = export_html(scratch, title=f"Who said what: {article.title}")
    write_text_atomic(page, html_text)
    if pdf:
        progress("printing to PDF")
        print_pdf(page, printed)
    return page


BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NO_BROWSER = (
    "install Chromium (Debian: apt-get install chromium) and Playwright (pip install playwright), "
    "or open the HTML report in a browser and print it to PDF"
)


def chromium_path() -> str | None:
    """Debian's Chromium (or a `chromium` on PATH), or None when there is none."""
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def pdf_printer(pdf_path: str | Path) -> str:
    """The Chromium that will print ``pdf_path``; an :class:`InputError` saying what to install if none."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise InputError(pdf_path, "cannot print a PDF: Playwright is not installed", NO_BROWSER) from None
    executable = chromium_path()
    if executable is None:
        raise InputError(pdf_path, "cannot print a PDF: no Chromium browser found", NO_BROWSER)
    return executable


def print_pdf(html_path: str | Path, pdf_path: str | Path) -> Path:
    """Print a rendered report to an A4 PDF through Chromium (its print stylesheet: every row).

    The PDF is written atomically. No browser engine is bundled: without Chromium or
    Playwright this raises an :class:`InputError` that says what to install.
    """
    html_path, pdf_path = Path(html_path).resolve(), Path(pdf_path)
    executable = pdf_printer(pdf_path)
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=BROWSER_ARGS)
            try:
                page = browser.new_page()
                page.goto(html_path.as_uri(), wait_until="load")
                page.wait_for_selector(".eo-print-table", state="attached", timeout=30_000)
                document = page.pdf(format="A4", print_background=True)
            finally:
                browser.close()
    except PlaywrightError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(pdf_path, f"Chromium could not print the report: {first}", NO_BROWSER) from None
    with atomic_path(pdf_path) as scratch:
        scratch.write_bytes(document)
    return pdf_path


@contextlib.contextmanager
def private_folder(page: Path) -> Iterator[Path]:
    """A folder only this user can read, beside ``page`` and named like the project's scratch files
    (``.NAME.<pid>.<random>.staging``): removed at the end, and by the next write beside ``page``
    if this run was killed (:func:`utils.files.sweep_leftovers`); never in the system's temporary folder."""
    page.parent.mkdir(parents=True, exist_ok=True)
    sweep_leftovers(page)
    # absolute: the kernel runs in notebooks/ and finds its connection file and links here by this path
    folder = Path(
        tempfile.mkdtemp(prefix=f".{page.name}.{os.getpid()}.", suffix=".staging", dir=page.parent.resolve())
    )
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _kernel_config(connection: Path):
    """The kernel's connection file where we put it; its local connection encrypted where pyzmq can
    (that also silences ipykernel's warning)."""
    import zmq
    from traitlets.config import Config

    encryption = "auto" if zmq.has("curve") else "disabled"
    return Config({"KernelManager": {"transport_encryption": encryption, "connection_file": str(connection)}})


def _article_argument(ref: str, article: Article, private: Path) -> str:
    """What the kernel is given: bundled ids as they are, paths absolute (the kernel runs in notebooks/).

    A path that is not valid UTF-8 cannot travel in the notebook, so the kernel gets a link to it
    in ``private`` named by the article's id (with a link to its sidecar), which reads the same.
    """
    path = Path(ref)
    if not path.exists():
        return ref
    path = path.resolve()
    try:
        str(path).encode("utf-8")
        return str(path)
    except UnicodeEncodeError:
        link = private / f"{article.article_id}{path.suffix.encode('ascii', 'replace').decode()}"
        link.symlink_to(path)
        if path.with_suffix(".json").exists():
            link.with_suffix(".json").symlink_to(path.with_suffix(".json"))
        return str(link)


def export_html(notebook: Path, title: str) -> str:
    """An executed notebook as one self-contained HTML page: no code, no prompts, no CDN scripts.

    The page carries a Content-Security-Policy that lets run only the inline scripts this
    module displayed (their hashes travel in the outputs' metadata): an inline event
    handler, a ``javascript:`` URL or a script that came from anywhere else stays inert.
    """
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="report", extra_template_basedirs=[str(TEMPLATE_DIR)])
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    node = nbformat.read(notebook, as_version=4)
    node.metadata["title"] = title
    node.metadata["eo_csp"] = content_security_policy(node)
    body, _ = exporter.from_notebook_node(node)
    return body


def content_security_policy(node) -> str:
    """The report's policy, allowing the scripts recorded in the notebook's output metadata."""
    hashes = dict.fromkeys(
        digest
        for cell in node.cells
        for output in cell.get("outputs", [])
        for digest in output.get("metadata", {}).get(SCRIPT_HASHES, [])
    )
    return POLICY.format(scripts=" ".join(hashes) or "'none'")
