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
import hashlib
import json
import re
import warnings
from pathlib import Path

import pandas as pd
from markupsafe import Markup, escape

from utils.analysis import Analysis, analyse, experts
from utils.articles import data_dir, resolve_article
from utils.curation import guard_output
from utils.errors import InputError
from utils.files import atomic_path, write_text_atomic
from utils.schema import NOT_ADDRESSED, SCORE_COLUMNS
from utils.stance import BOOSTERS, HEDGES, stance_columns
from utils.viz import contradictions

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
UNSEEN_FILE = "unseen.json"  # a one-time first-read measurement, see data/README.md


def headline(analysis: Analysis) -> Markup:
    """One paragraph saying what the report covers, in numbers."""
    table, article = analysis.table, analysis.article
    names = experts(table)
    source = (
        "curated by people"
        if analysis.curation.curated
        else "found automatically (not yet checked by a person)"
    )
    date = f", {article.meta['date']}" if article.meta.get("date") else ""
    automatic = (table["stance_source"] == "automatic").any() or not analysis.curation.curated
    banner = (
        Markup(
            "<p class='eo-banner' role='note'><b>Automatic analysis.</b> Statements {} and some or all "
            "stance labels are machine suggestions that nobody has checked yet; see Methods and caveats "
            "before quoting anything from this report.</p>"
        ).format("were found by the extractor" if not analysis.curation.curated else "are curated")
        if automatic
        else Markup()
    )
    return banner + Markup(
        "<p class='eo-lede'><b>{title}</b>{date}. {count} attributed statements from {speakers} speakers, "
        "{source}; {direct} direct quotes and {paraphrases} paraphrases. Experts compared: {names}.</p>"
    ).format(
        title=article.title,
        date=date,
        count=len(table),
        speakers=table["speaker"].nunique(),
        source=source,
        direct=int((table["kind"] == "direct").sum()),
        paraphrases=int((table["kind"] == "paraphrase").sum()),
        names=", ".join(names) if names else "none identified",
    )


def focus_topic(analysis: Analysis) -> pd.Series:
    """The topic to set sentiment against: where lexicon and people disagree most, then the most discussed."""
    table, names = analysis.table, set(experts(analysis.table)) or set(analysis.table["speaker"])
    subset = table[table["speaker"].isin(names)]

    def weight(topic: str) -> tuple[int, int]:
        column = f"stance_{topic}"
        return len(contradictions(subset, column)), int((subset[column] != NOT_ADDRESSED).sum())

    best = max(analysis.topics["topic"], key=weight)
    return analysis.topics.set_index("topic", drop=False).loc[best]


def statements_frame(analysis: Analysis) -> pd.DataFrame:
    """The statements as the report's interactive table shows them, every cell plain text.

    The 'in article' cell holds the statement id; the report's script turns it into a link
    to the highlight (built with DOM calls, so the table never renders a cell as HTML).
    """
    table = analysis.table
    return pd.DataFrame(
        {
            "id": table["id"],
            "speaker": table["speaker"],
            "role": table["role"],
            "kind": table["kind"],
            "statement": table["text"],
            **{c.removeprefix("stance_"): table[c] for c in stance_columns(analysis.topics)},
            "stance by": table["stance_source"],
            "VADER": table["vader_compound"].round(2),
            "TextBlob": table["tb_polarity"].round(2),
            "certainty": table["epistemic"],
            "in article": table["id"],
        }
    )


def statements_table_html(analysis: Analysis) -> str:
    """The interactive statements table: search, sort, and filter panes for speaker, kind, stance.

    itables escapes every cell (allow_html=False) and the options it embeds in its script
    are re-encoded so that no ``<``, ``>`` or ``&`` appears in the script at all.
    """
    from itables import to_html_datatable

    frame = statements_frame(analysis)
    columns = list(frame.columns)
    filtered = [
        columns.index(c)
        for c in ("speaker", "kind", *[c.removeprefix("stance_") for c in stance_columns(analysis.topics)])
    ]
    page = to_html_datatable(
        frame,
        table_id=TABLE_ID,
        showIndex=False,
        allow_html=False,
        format_floats_in_python=False,  # else itables formats numbers with eval'd code, which the CSP forbids
        classes="display compact",
        maxBytes=0,
        layout={"top1": "searchPanes"},
        lengthMenu=[10, 25, 50, 100, -1],
        pageLength=25,
        searchPanes={"columns": filtered, "cascadePanes": True, "initCollapsed": True, "layout": "columns-3"},
        columnDefs=[
            {"className": "dt-left", "targets": "_all"},
            {"className": "eo-statement-cell", "targets": [columns.index("statement")]},
            {"className": "eo-link-cell", "targets": [columns.index("in article")]},
        ],
        scrollX=True,
    )
    return script_safe_options(page)


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
    """Display the interactive statements table (see ``statements_table_html``)."""
    show_with_scripts(statements_table_html(analysis), expected=2)


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
    css = (RESOURCES / "report.css").read_text(encoding="utf-8")
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
    """
    spans = [
        (int(r["start"]), int(r["end"]), _mark_open(r, palette, analysis))
        for _, r in analysis.table.iterrows()
    ]
    legend = Markup("").join(
        Markup('<span class="eo-key" style="--c:{}">{}</span>').format(colour(palette, s), s)
        for s in dict.fromkeys(analysis.table["speaker"])
    )
    return Markup(
        '<div class="eo-article-wrap" data-table="{table}">'
        '<div class="eo-legend" aria-label="speaker colours">{legend}</div>'
        '<article class="eo-article" lang="en">{text}</article>'
        '<div id="eo-tip" role="tooltip" hidden></div></div>'
    ).format(table=TABLE_ID, legend=legend, text=highlight(analysis.article.text, spans))


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


def _mark_open(row: pd.Series, palette: dict[str, str], analysis: Analysis) -> Markup:
    stances = [
        f"{c.removeprefix('stance_')}: {row[c]}"
        for c in stance_columns(analysis.topics)
        if row[c] != NOT_ADDRESSED
    ]
    automatic = " (automatic)" if row["stance_source"] == "automatic" else ""
    tip = " | ".join(
        [
            f"{row['speaker']} ({row['affiliation']})" if row["affiliation"] else row["speaker"],
            f"{row['kind']} · {row['id']}",
            "stance: " + ("; ".join(stances) if stances else "no topic addressed") + automatic,
            f"VADER {row['vader_compound']:+.2f} · TextBlob {row['tb_polarity']:+.2f} · {row['epistemic']}",
        ]
    )
    return Markup(
        '<mark class="eo-hl eo-{kind}" id="stmt-{id}" data-id="{id}" data-tip="{tip}" tabindex="0" '
        'aria-describedby="eo-tip" style="--c:{colour}">'
    ).format(kind=row["kind"], id=row["id"], tip=tip, colour=colour(palette, row["speaker"]))


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
    if analysis.curation.curated:
        origin = Markup(
            "The statements were curated by people: every direct quote and paraphrase attributed to a "
            "speaker, with its character offsets checked against the article text."
        )
    else:
        origin = Markup(
            "<b>The statements were found automatically</b> by the rule-based extractor (quotation marks, "
            "reporting verbs, speaker names and pronouns) and have not been checked by a person: "
            "expect some missed, extra or misattributed statements.{}"
        ).format(_extraction_quality())
    return Markup(
        "<h4>Statements</h4><p>{} Speakers, roles and affiliations are as the article gives them.</p>"
    ).format(origin)


def _extraction_quality() -> str:
    """What the published evaluations say about the extractor, the unseen-article figure first."""
    unseen, devset = (_published(name) for name in (UNSEEN_FILE, EVALUATION_FILE))
    parts = []
    if unseen:
        micro = unseen["micro"]
        parts.append(
            f" Read for the first time, on {unseen['articles']} news articles it had not been developed on "
            f"(annotated by us), it scored span F1 {micro['span_f1']:.2f} (the statement found) and "
            f"attributed F1 {micro['attributed_f1']:.2f} (found and given to the right speaker), with "
            f"direct-quote recall {micro['recall_direct']:.2f}."
        )
    if devset:
        micro = devset["micro"]
        parts.append(
            f" On the 8-article development set its rules were built on it scores {micro['span_f1']:.2f} "
            f"and {micro['attributed_f1']:.2f}; expect the first figures, not these."
        )
    return "".join(parts)  # plain text: the caller escapes it


def _stance_method(analysis: Analysis) -> Markup:
    share = (analysis.table["stance_source"] == "curated").mean()
    text = (
        f"Stance on each topic (favor, against, neutral, mixed, or not addressed) is "
        f"{'a human judgement made by reading' if share == 1 else 'partly automatic'}: "
        f"{share:.0%} of statements carry labels given by people. "
        "Statements nobody labelled get an automatic suggestion, a transparent baseline: a statement "
        "addresses a topic when it mentions one of the topic's keywords, and leans favor or against by "
        "the sign of its VADER sentiment. It reads words, not arguments. "
    )
    agreement = analysis.agreement
    if agreement:
        text += (
            f"Checked against the {agreement.pairs} human-labelled statement–topic pairs of this "
            f"article, the suggestions agree {agreement.accuracy:.0%} of the time "
            f"(Cohen's κ = {agreement.kappa:.2f}); "
            f"they find whether a topic is addressed {agreement.relevance_accuracy:.0%} of the time but get "
            f"the direction right for only {agreement.addressed_accuracy:.0%} of the addressed pairs. "
            "Treat automatic labels as a starting point for a person, not as findings."
        )
    else:
        text += "No statement here has a human label yet, so the suggestions' agreement is unmeasured."
    return Markup("<h4>Stance</h4><p>{}</p>").format(text)


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
    clashes = (
        pd.concat(
            [contradictions(analysis.table, c).assign(topic=c.removeprefix("stance_")) for c in columns]
        )
        if columns
        else pd.DataFrame()
    )
    listed = Markup("").join(
        Markup("<li>{speaker} ({id}, {topic}: {stance}) — {scorer} {score:+.2f}: “{text}{more}”</li>").format(
            speaker=r.speaker,
            id=r.id,
            topic=r.topic,
            stance=getattr(r, "stance_" + r.topic),
            scorer=r.scorer,
            score=r.score,
            text=r.text[:140],
            more="…" if len(r.text) > 140 else "",
        )
        for r in clashes.drop_duplicates(["id", "scorer"]).itertuples()
    )
    warning = (
        Markup(
            "<p>In this article {} statements get lexicon scores that point the other way from their "
            "human stance label:</p><ul>{}</ul>"
        ).format(clashes["id"].nunique(), listed)
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


def render_report(ref: str, out_dir: str | Path = "reports", timeout: int = 600) -> Path:
    """Run the report notebook for one article and write ``<out_dir>/<article-id>.html`` (and the .ipynb).

    The executed copy is written beside its final name (``.NAME.*.part``) and renamed into
    place only when the page is complete, so no scratch file outlives a normal end.
    """
    import papermill

    article = resolve_article(ref)
    out_dir = Path(out_dir)
    executed = out_dir / f"{article.article_id}.ipynb"
    page = out_dir / f"{article.article_id}.html"
    for output in (page, executed):
        guard_output(output, [article.path])
    analyse(article)  # bad input fails here, with its one-line error, before a kernel starts
    target = _article_argument(ref)
    with atomic_path(executed) as scratch:
        try:
            with warnings.catch_warnings():  # papermill warns about a name not ending in .ipynb
                warnings.filterwarnings("ignore", message="The specified file .* does not end in")
                papermill.execute_notebook(
                    str(REPORT_NOTEBOOK),
                    str(scratch),
                    config=_kernel_config(),
                    parameters={"article": target},
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
        html_text = export_html(scratch, title=f"Who said what: {article.title}")
    return write_text_atomic(page, html_text)


def _kernel_config():
    """Encrypt the kernel's local connection where pyzmq can (it also silences ipykernel's warning)."""
    import zmq
    from traitlets.config import Config

    return Config({"KernelManager": {"transport_encryption": "auto" if zmq.has("curve") else "disabled"}})


def _article_argument(ref: str) -> str:
    """Bundled ids pass as they are; paths become absolute because the kernel runs in notebooks/."""
    path = Path(ref)
    return str(path.resolve()) if path.exists() else ref


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
