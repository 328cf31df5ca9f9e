"""The shareable HTML report: the pieces the report notebook shows, and its rendering.

``render_report`` runs ``notebooks/05_report.ipynb`` with papermill for one article and
turns the executed copy into one self-contained HTML file with nbconvert (code hidden,
figures embedded, the interactive table's library inlined, nothing loaded from the
network). Both the executed notebook and the HTML are written atomically, so an
interrupted run leaves the previous report intact.
"""

from __future__ import annotations

import html
import json
import tempfile
from pathlib import Path

import pandas as pd

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
EVALUATION_FILE = "devset.json"  # written by `make eval`
UNSEEN_FILE = "unseen.json"  # a one-time first-read measurement, see data/README.md


def headline(analysis: Analysis) -> str:
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
        "<p class='eo-banner' role='note'><b>Automatic analysis.</b> Statements "
        f"{'were found by the extractor' if not analysis.curation.curated else 'are curated'} and "
        "some or all stance labels are machine suggestions that nobody has checked yet; see Methods and "
        "caveats before quoting anything from this report.</p>"
        if automatic
        else ""
    )
    return banner + (
        f"<p class='eo-lede'><b>{html.escape(article.title)}</b>{html.escape(date)}. "
        f"{len(table)} attributed statements from {table['speaker'].nunique()} speakers, {source}; "
        f"{int((table['kind'] == 'direct').sum())} direct quotes and "
        f"{int((table['kind'] == 'paraphrase').sum())} paraphrases. "
        f"Experts compared: {html.escape(', '.join(names) if names else 'none identified')}.</p>"
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
    """The statements as the report's interactive table shows them (with a link into the article)."""
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
            "in article": [f'<a href="#stmt-{html.escape(i)}">show</a>' for i in table["id"]],
        }
    )


def show_statements(analysis: Analysis) -> None:
    """Display the interactive statements table: search, sort, and filter panes for speaker, kind, stance."""
    from itables import show

    frame = statements_frame(analysis)
    columns = list(frame.columns)
    filtered = [
        columns.index(c)
        for c in ("speaker", "kind", *[c.removeprefix("stance_") for c in stance_columns(analysis.topics)])
    ]
    show(
        frame,
        table_id=TABLE_ID,
        showIndex=False,
        allow_html=True,
        classes="display compact",
        maxBytes=0,
        layout={"top1": "searchPanes"},
        lengthMenu=[10, 25, 50, 100, -1],
        pageLength=25,
        searchPanes={"columns": filtered, "cascadePanes": True, "initCollapsed": True, "layout": "columns-3"},
        columnDefs=[
            {"className": "dt-left", "targets": "_all"},
            {"className": "eo-statement-cell", "targets": [columns.index("statement")]},
        ],
        scrollX=True,
    )


def page_assets() -> str:
    """The report's stylesheet and script, shown once at the top of the report notebook."""
    css = (RESOURCES / "report.css").read_text(encoding="utf-8")
    js = (RESOURCES / "report.js").read_text(encoding="utf-8")
    return f"<style>{css}</style><script>{js}</script>"


def article_html(analysis: Analysis, palette: dict[str, str]) -> str:
    """The article with every statement highlighted in its speaker's colour.

    Hovering or focusing a highlight shows speaker, kind, stance and sentiment;
    activating it filters the statements table to that statement. Overlapping
    statements (a quoted fragment inside a paraphrase) become nested highlights.
    """
    spans = [
        (int(r["start"]), int(r["end"]), _mark_open(r, palette, analysis))
        for _, r in analysis.table.iterrows()
    ]
    legend = "".join(
        f'<span class="eo-key" style="--c:{palette[s]}">{html.escape(s)}</span>'
        for s in dict.fromkeys(analysis.table["speaker"])
    )
    return (
        f'<div class="eo-article-wrap" data-table="{TABLE_ID}">'
        f'<div class="eo-legend" aria-label="speaker colours">{legend}</div>'
        f'<article class="eo-article" lang="en">{highlight(analysis.article.text, spans)}</article>'
        '<div id="eo-tip" role="tooltip" hidden></div></div>'
    )


def highlight(text: str, spans: list[tuple[int, int, str]]) -> str:
    """Escape ``text`` and wrap each (start, end, opening tag) span in that tag and ``</mark>``.

    Spans are nested: one that starts inside another and runs past its end is cut at that
    end, so the HTML stays well formed and every span still gets exactly one element.
    """
    out: list[str] = []
    stack: list[int] = []
    position = 0

    def close_to(limit: int) -> None:
        nonlocal position
        while stack and stack[-1] <= limit:
            end = stack.pop()
            out.append(html.escape(text[position:end]) + "</mark>")
            position = end

    for start, end, tag in sorted(spans, key=lambda s: (s[0], -s[1])):
        start = min(max(start, position), len(text))
        close_to(start)
        end = min(max(end, start), stack[-1] if stack else len(text))
        out.append(html.escape(text[position:start]) + tag)
        position = start
        stack.append(end)
    close_to(len(text))
    out.append(html.escape(text[position:]))
    return "".join(out)


def _mark_open(row: pd.Series, palette: dict[str, str], analysis: Analysis) -> str:
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
    colour = palette.get(row["speaker"], "#777777")
    return (
        f'<mark class="eo-hl eo-{row["kind"]}" id="stmt-{html.escape(row["id"])}" '
        f'data-id="{html.escape(row["id"])}" data-tip="{html.escape(tip)}" tabindex="0" '
        f'aria-describedby="eo-tip" style="--c:{colour}">'
    )


def methods_html(analysis: Analysis) -> str:
    """How every number in the report is obtained, how far to trust it, and what it gets wrong."""
    parts = [
        _statements_method(analysis),
        _stance_method(analysis),
        _certainty_method(),
        _sentiment_method(analysis),
    ]
    return '<div class="eo-methods">' + "".join(parts) + "</div>"


def _statements_method(analysis: Analysis) -> str:
    if analysis.curation.curated:
        origin = (
            "The statements were curated by people: every direct quote and paraphrase attributed to a "
            "speaker, with its character offsets checked against the article text."
        )
    else:
        origin = (
            "<b>The statements were found automatically</b> by the rule-based extractor (quotation marks, "
            "reporting verbs, speaker names and pronouns) and have not been checked by a person: "
            "expect some missed, extra or misattributed statements." + _extraction_quality()
        )
    return (
        f"<h4>Statements</h4><p>{origin} Speakers, roles and affiliations are as the article gives them.</p>"
    )


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
    return "".join(parts)


def _stance_method(analysis: Analysis) -> str:
    share = (analysis.table["stance_source"] == "curated").mean()
    text = (
        f"<h4>Stance</h4><p>Stance on each topic (favor, against, neutral, mixed, or not addressed) is "
        f"{'a human judgement made by reading' if share == 1 else 'partly automatic'}: "
        f"{share:.0%} of statements carry labels given by people. "
    )
    text += (
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
    return text + "</p>"


def _certainty_method() -> str:
    return (
        "<h4>Certainty</h4><p>How sure a statement sounds is counted from cue words: hedges lower it, "
        "boosters raise it; the score runs from −1 (only hedges) to +1 (only boosters). On paraphrases it "
        "measures the reporter's wording as much as the speaker's. "
        f"<details><summary>The cue lists</summary><p><b>Hedges:</b> {html.escape(', '.join(HEDGES))}, "
        f"may (lower case).</p><p><b>Boosters:</b> {html.escape(', '.join(BOOSTERS))}.</p></details></p>"
    )


def _sentiment_method(analysis: Analysis) -> str:
    columns = stance_columns(analysis.topics)
    clashes = (
        pd.concat(
            [contradictions(analysis.table, c).assign(topic=c.removeprefix("stance_")) for c in columns]
        )
        if columns
        else pd.DataFrame()
    )
    listed = "".join(
        f"<li>{html.escape(r.speaker)} ({r.id}, {r.topic}: {getattr(r, 'stance_' + r.topic)}) — {r.scorer} "
        f"{r.score:+.2f}: “{html.escape(r.text[:140])}{'…' if len(r.text) > 140 else ''}”</li>"
        for r in clashes.drop_duplicates(["id", "scorer"]).itertuples()
    )
    warning = (
        f"<p>In this article {clashes['id'].nunique()} statements get lexicon scores that point the other "
        f"way from their human stance label:</p><ul>{listed}</ul>"
        if len(clashes)
        else ""
    )
    return (
        "<h4>Sentiment</h4><p>TextBlob polarity and subjectivity and VADER compound are word lexicons: "
        f"they score the words of a statement ({', '.join(SCORE_COLUMNS)}), not its forecast. Typographic "
        "apostrophes are straightened and “n’t” spelled out first, because both libraries otherwise miss "
        "negations such as “isn’t”. A grim forecast in gentle words can score positive, so read sentiment "
        f"beside stance, never instead of it.</p>{warning}"
    )


def _published(name: str) -> dict:
    """A published evaluation from ``data/evaluation`` (see data/README.md), or {} when absent."""
    try:
        return json.loads((data_dir() / "evaluation" / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def render_report(ref: str, out_dir: str | Path = "reports", timeout: int = 600) -> Path:
    """Run the report notebook for one article and write ``<out_dir>/<article-id>.html`` (and the .ipynb)."""
    import papermill

    article = resolve_article(ref)
    analyse(article)  # bad input fails here, with its one-line error, before a kernel starts
    target = _article_argument(ref)
    out_dir = Path(out_dir)
    executed = out_dir / f"{article.article_id}.ipynb"
    page = out_dir / f"{article.article_id}.html"
    for output in (page, executed):
        guard_output(output, [article.path])
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp) / executed.name
        try:
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
        with atomic_path(executed) as partial:
            partial.write_bytes(scratch.read_bytes())
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
    """An executed notebook as one self-contained HTML page: no code, no prompts, no CDN scripts."""
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="report", extra_template_basedirs=[str(TEMPLATE_DIR)])
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    node = nbformat.read(notebook, as_version=4)
    node.metadata["title"] = title
    body, _ = exporter.from_notebook_node(node)
    return body
