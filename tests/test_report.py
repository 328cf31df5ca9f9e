"""The rendered HTML report: self-contained, complete, and never half-written."""

from __future__ import annotations

import dataclasses
import html
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from markupsafe import Markup

from tests.conftest import EXPERTS, KURSK, ROOT
from tests.hostile.corpus import PAYLOADS, Parsed, hostile_analysis
from utils import report, viz
from utils.analysis import experts

COLOUR_STYLE = re.compile(r"(--c:|border-left:6px solid |background:)#[0-9a-fA-F]{6}")


def test_highlight_nests_and_keeps_one_element_per_span() -> None:
    text = "ab <c> d e f g"
    spans = [(0, 14, "<mark a>"), (3, 6, "<mark b>"), (5, 12, "<mark c>"), (13, 14, "<mark d>")]
    page = report.highlight(text, spans)
    assert page == "<mark a>ab <mark b>&lt;c<mark c>&gt;</mark></mark> d e f <mark d>g</mark></mark>"
    assert page.count("<mark") == page.count("</mark>") == 4


def test_highlight_spans_in_any_order_and_out_of_range() -> None:
    page = report.highlight("hello", [(3, 99, "<m2>"), (0, 2, "<m1>"), (7, 9, "<m3>")])
    assert page == "<m1>he</mark>l<m2>lo</mark><m3></mark>"


def test_report_notebook_has_a_parameters_cell() -> None:
    import nbformat

    notebook = nbformat.read(report.REPORT_NOTEBOOK, as_version=4)
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and tagged[0].source.startswith("article = ")


def test_report_contains_experts_figures_and_no_network_loads(rendered_report: Path) -> None:
    page = rendered_report.read_text(encoding="utf-8")
    for name in EXPERTS:
        assert name in page
    images = re.findall(r"<img [^>]+>", page)
    alts = [re.search(r'alt="([^"]*)"', tag) for tag in images]
    assert len(images) == 8 and all('src="data:image/png;base64,' in tag for tag in images)  # 4 figures
    classes = [re.search(r'class="([^"]*)"', tag).group(1) for tag in images]
    assert classes == ["eo-fig-wide", "eo-fig-narrow"] * 4  # each drawn for a wide screen and for a phone
    assert all(alt and len(alt.group(1)) > 40 and "no description" not in alt.group(1) for alt in alts)
    loads = re.findall(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="(https?:)?//', page)
    assert loads == []
    assert "injectModule(" in page and "window._itables_" in page  # the table library is embedded
    assert page.count('class="eo-hl ') == 37
    assert "Cohen's κ" in page and "Kagan" in page.split("Methods and caveats")[-1]
    assert "<title>Who said what: Ukraine doubles down on Kursk" in page
    assert "analyse_ref(article)" not in page  # code is hidden


def test_the_readme_command_writes_the_report_into_a_folder_given_relative(tmp_path: Path) -> None:
    """`make report` runs `opinions report ID -o reports`: a folder relative to where it runs, while
    the kernel runs in notebooks/ (its connection file must be found from there)."""
    done = subprocess.run(
        [sys.executable, "-m", "utils.cli", "report", KURSK, "-o", "reports"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "reports" / f"{KURSK}.html").stat().st_size > 1_000_000
    assert [p.name for p in (tmp_path / "reports").iterdir()] == [f"{KURSK}.html"]


def test_a_killed_report_run_keeps_the_previous_report_and_no_kernel_key(tmp_path: Path) -> None:
    """A kill while the kernel runs keeps the old report, and leaves the kernel's connection file (whose
    key signs its messages) nowhere: not in Jupyter's runtime folder, not in the temporary folder, not in
    the private folder beside the report, which the next run sweeps away with the scratch notebook."""
    import psutil

    from utils.files import sweep_leftovers

    out, runtime, temporary = (tmp_path / name for name in ("out", "runtime", "tmp"))
    for folder in (out, runtime, temporary):
        folder.mkdir()
    previous = out / f"{KURSK}.html"
    previous.write_text("<html>the previous report</html>", encoding="utf-8")
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime), "TMPDIR": str(temporary)}
    run = subprocess.Popen(
        [sys.executable, "-m", "utils.cli", "report", KURSK, "-o", str(out)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    seen = set()  # the connection files seen so far: the kernel has started once its file is gone again
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and not (seen and not any(p.exists() for p in seen)):
        seen.update(out.glob(f".{KURSK}.html.*.staging/*.json"))
        time.sleep(0.05)
    assert seen and list(out.glob(f".{KURSK}.ipynb.*.part"))  # the notebook runs
    time.sleep(1)
    run.kill()
    run.wait()
    kernels = [
        k for k in psutil.process_iter(["cmdline"]) if any(str(out) in a for a in k.info["cmdline"] or [])
    ]
    _, alive = psutil.wait_procs(kernels, timeout=20)  # ipykernel ends when its parent is gone
    for kernel in alive:
        kernel.kill()
    assert alive == []
    keys = [p for folder in (runtime, temporary, out) for p in folder.rglob("*.json")]
    assert keys == []
    assert previous.read_text(encoding="utf-8") == "<html>the previous report</html>"
    assert len(list(out.iterdir())) == 3  # the report, the scratch notebook, the emptied private folder
    sweep_leftovers(previous)  # what the next run does first
    sweep_leftovers(out / f"{KURSK}.ipynb")
    assert [p.name for p in out.iterdir()] == [previous.name]


def test_failure_while_writing_keeps_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from utils import files

    target = tmp_path / "table.csv"
    target.write_text("old", encoding="utf-8")

    def broken_write(self: Path, text: str, **_: object) -> int:
        self.write_bytes(text[:3].encode())
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "write_text", broken_write)
    with pytest.raises(KeyboardInterrupt):
        files.write_text_atomic(target, "new content")
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]


def test_headline_marks_automatic_analyses(kursk_analysis, tmp_path: Path, data_copy: Path) -> None:
    from utils.analysis import analyse_ref

    assert "eo-banner" not in report.headline(kursk_analysis)
    story = tmp_path / "story.txt"
    story.write_text("Bridge vote\n\n“We waited long enough,” Mayor Ana Lopez said.\n", encoding="utf-8")
    automatic = report.headline(analyse_ref(str(story)))
    assert "Automatic analysis." in automatic and "found by the extractor" in automatic
    assert "0 of 1 statements reviewed by people" in automatic and "checked" not in automatic
    assert "37 attributed statements (33 claims)" in report.headline(kursk_analysis)
    assert "37 of 37 statements reviewed by people" in report.headline(kursk_analysis)


@pytest.mark.parametrize(
    ("reviewers", "labelled", "banner"),
    [
        (["ana", "ana"], 2, ""),
        (["", ""], 0, "<b>Automatic analysis.</b> The statements were found by the extractor and nobody has "
         "reviewed them yet; every stance shown is a machine suggestion, marked “suggested”."),
        (["ana", ""], 1, "<b>Partly reviewed.</b> 1 of 2 statements were reviewed by people; the others are "
         "as the extractor found them; 1 of 2 statements carry stance labels given by people, the others "
         "only machine suggestions, marked “suggested”."),
        (["ana", "bo"], 0, "<b>Partly reviewed.</b> Every statement was reviewed by people; every stance "
         "shown is a machine suggestion, marked “suggested”."),
        (["", ""], 2, "<b>Partly reviewed.</b> The statements were found by the extractor and nobody has "
         "reviewed them yet; every stance label was given by people."),
    ],
)  # fmt: skip
def test_the_banner_says_what_people_did_in_numbers(reviewers, labelled, banner) -> None:
    import pandas as pd

    table = pd.DataFrame(
        {"reviewed_by": reviewers, "stance_source": ["curated"] * labelled + ["automatic"] * (2 - labelled)}
    )
    said = str(report.banner(table))
    assert said == "" if not banner else banner in said


def test_seeding_with_curate_changes_no_word_until_people_review(tmp_path: Path, data_copy: Path) -> None:
    """`opinions curate` only copies the extractor's rows into a curated table: the report reads the same."""
    from datetime import UTC, datetime

    from utils import narrative
    from utils.analysis import analyse_ref
    from utils.curation import seed_curation

    story = data_copy / "articles" / "bridge-vote.txt"
    story.write_text(
        "Bridge vote\n\n“We waited long enough,” Mayor Ana Lopez said. “It isn’t safe,” Bo Chen said.\n",
        encoding="utf-8",
    )
    moment = datetime(2026, 12, 1, tzinfo=UTC)

    def wording(analysis) -> list[str]:
        return [
            str(report.headline(analysis)),
            str(report.footer_html(analysis, now=moment)),
            str(report.methods_html(analysis)).split("<h4>Certainty</h4>")[0],
            narrative.statements_line(analysis),
            narrative.topics_line(analysis),
            narrative.stance_summary(analysis.table, analysis.topics),
        ]

    before = analyse_ref("bridge-vote")
    seed_curation(before.article)
    after = analyse_ref("bridge-vote")
    assert after.curation.curated and not before.curation.curated
    assert wording(after) == wording(before)
    assert "curated" not in " ".join(wording(after)) and "found automatically" in wording(after)[0]
    assert set(after.table["source"]) == {"extracted"}


@pytest.fixture
def partly(data_copy):
    from tests.partly_reviewed import write_partly_reviewed
    from utils.analysis import analyse_ref

    return analyse_ref(write_partly_reviewed(data_copy))


def test_every_view_marks_suggestions_and_says_how_sure(partly) -> None:
    from tests.partly_reviewed import LABELLED, REVIEWED, TOTAL

    headline = str(report.headline(partly))
    assert f"{REVIEWED} of {TOTAL} statements were reviewed by people" in headline
    assert f"{LABELLED} of {TOTAL} statements carry stance labels given by people" in headline
    assert "found automatically, partly reviewed" in headline and "curated" not in headline
    frame = report.statements_frame(partly).set_index("id")
    automatic = partly.table.set_index("id")["stance_source"] == "automatic"
    topics = list(viz.proposition_names(partly.topics).values())
    cells = frame[topics]
    assert cells[automatic].map(lambda c: c.startswith("suggested: ")).all().all()
    assert not cells[~automatic].map(lambda c: c.startswith("suggested")).any().any()
    for ident in automatic[automatic].index:
        details = json.loads(frame.loc[ident, "details"])
        assert details["suggested"] and any(
            "suggested by the machine, not reviewed" in p for p in details["parts"]
        )
    view = {v.id: v for v in report.statement_views(partly)}
    directed = partly.suggestions[partly.suggestions["label"].isin(["favor", "against", "neutral", "mixed"])]
    shown = view[directed["id"].iloc[0]]
    assert (
        shown.tip()[2].startswith("suggested by the machine, not reviewed: ")
        and "% sure, from “" in shown.tip()[2]
    )
    assert view["s01"].tip()[2].startswith("stance: ")  # people's label, no hedging words
    printed = Parsed(report.print_table_html(partly))
    boxes = [attrs for tag, attrs in printed.tags if tag == "span" and attrs.get("class") == "eo-suggestion"]
    assert len(boxes) == sum(h.shown for v in view.values() for _, h in v.hints)


def test_the_summary_and_the_figure_count_people_and_machine_apart(partly) -> None:
    """The line per expert and the stance figure's cells agree with counts made here from the table."""
    from utils.analysis import counted
    from utils.nesting import claims

    names = experts(partly.table)
    summary = Parsed(report.expert_summary_html(partly, names)).text
    segments = dict(
        zip(names, re.split("|".join(re.escape(f"{n}: ") for n in names), summary)[1:], strict=True)
    )
    cells = {(c.by, c.speaker, c.topic): c for c in viz.stance_cells(partly.table, partly.topics, names)}
    short = viz.proposition_names(partly.topics)
    rows = claims(partly.table)
    for speaker in names:
        for topic in partly.topics["topic"]:
            for by, source in (("people", "curated"), ("suggested", "automatic")):
                mine = rows[(rows["speaker"] == speaker) & (rows["stance_source"] == source)]
                labels = mine.loc[mine[f"stance_{topic}"] != "not addressed", f"stance_{topic}"]
                expected = labels.value_counts().to_dict()
                assert cells[(by, speaker, topic)].counts == expected, (by, speaker, topic)
                if expected:
                    said = counted(cells[(by, speaker, topic)].counts)
                    said = f"suggested {said}" if by == "suggested" else f"{said} by people"
                    assert said in segments[speaker].split(short[topic] + ": ", 1)[1], (speaker, topic)
    assert "by people" not in segments["Robert Kagan"]  # nobody labelled Kagan's statements here


def test_methods_quote_every_unseen_figure_worst_included(tmp_path: Path, data_copy: Path) -> None:
    """Every published first reading of unseen articles is quoted, and the worst is the one to expect."""
    import json

    from utils.analysis import analyse_ref

    story = tmp_path / "story.txt"
    story.write_text("Bridge vote\n\n“We waited long enough,” Mayor Ana Lopez said.\n", encoding="utf-8")
    methods = report.methods_html(analyse_ref(str(story)))
    assert "on 12 articles, span F1 0.93 and attributed F1 0.84, direct-quote recall 0.98" in methods
    assert "on 10 articles, span F1 0.83 and attributed F1 0.68, direct-quote recall 0.80" in methods
    assert "on 25 articles, span F1 0.82 and attributed F1 0.73, direct-quote recall 0.91" in methods
    assert "Expect the worst of these, attributed F1 0.68, on a new article" in methods
    assert "development set its rules were built on" in methods

    later = {
        "measured": "2027-01-05",
        "articles": 7,
        "micro": {"span_f1": 0.7, "attributed_f1": 0.55, "recall_direct": 0.9},
    }
    (data_copy / "evaluation" / "unseen-later.json").write_text(json.dumps(later), encoding="utf-8")
    (data_copy / "evaluation" / "unseen-broken.json").write_text("{not json", encoding="utf-8")
    (data_copy / "evaluation" / "unseen-partial.json").write_text(
        json.dumps({"articles": 3}), encoding="utf-8"
    )
    methods = report.methods_html(analyse_ref(str(story)))
    readings = re.findall(r"on (\d+) articles, span F1", methods)
    assert readings == ["12", "10", "25", "7"]  # oldest first; unreadable or incomplete files left out
    assert "Expect the worst of these, attributed F1 0.55" in methods
    assert "were found automatically" in methods
    assert "not been developed on" not in report.methods_html(analyse_ref(KURSK))  # people reviewed it all


# --- Safe to share: every builder escapes what comes from an article (tests/hostile/payloads.txt) ---

ALLOWED_TAGS = {
    "p", "b", "i", "br", "h4", "small", "section", "ol", "ul", "li", "span", "div", "article", "mark",
    "details", "summary", "pre",
}  # fmt: skip


def _builders(analysis) -> dict[str, str]:
    palette = viz.speaker_palette(analysis.table)
    return {
        "headline": report.headline(analysis),
        "article": report.article_html(analysis, palette),
        "methods": report.methods_html(analysis),
        "cards": viz.statements_html(analysis, [analysis.table["speaker"][0]], palette),
    }


@pytest.mark.parametrize("payload", PAYLOADS)
def test_builders_emit_only_their_own_markup(payload: str) -> None:
    for name, fragment in _builders(hostile_analysis(payload)).items():
        parsed = Parsed(fragment)
        assert {tag for tag, _ in parsed.tags} <= ALLOWED_TAGS, name
        assert [a for _, attrs in parsed.tags for a in attrs if a.startswith("on")] == [], name
        assert all(COLOUR_STYLE.fullmatch(style) for style in parsed.values("style")), name


@pytest.mark.parametrize("payload", PAYLOADS)
def test_builders_show_the_payload_as_text(payload: str) -> None:
    analysis = hostile_analysis(payload)
    parts = {name: Parsed(fragment) for name, fragment in _builders(analysis).items()}
    assert parts["headline"].text.startswith(f"{payload}, {payload}. 1 attributed statements (1 claims)")
    assert parts["article"].text.startswith(payload + payload)  # legend, then the article's title line
    assert parts["article"].text.endswith(analysis.article.text)
    (tip,) = parts["article"].values("data-tip")
    short = viz.proposition_names(analysis.topics)["t"]
    assert json.loads(tip)[:3] == [
        f"{payload} ({payload})",
        f"direct · {analysis.table['id'][0]}",
        f"stance: {short}: against",
    ]
    assert parts["article"].values("data-id") == [analysis.table["id"][0]]
    assert f"{payload} ({analysis.table['id'][0]}, “{short}”: against)" in parts["methods"].text
    assert f"“great {payload} wonderful" in parts["methods"].text
    assert parts["cards"].text.startswith(f"{payload} {payload} · 1 claim“great {payload} wonderful”")
    assert parts["cards"].values("title") == [payload]  # the topic's proposition, on its stance tag


@pytest.mark.parametrize("payload", PAYLOADS)
def test_table_cells_and_their_json_are_escaped(payload: str) -> None:
    analysis = hostile_analysis(payload)
    page = report.statements_table_html(analysis)
    assert len(re.findall(r"<script\b", page, re.I)) == 2 and page.count("</script>") == 2
    start = page.index("let dt_args = ") + len("let dt_args = ")
    options, end = json.JSONDecoder().raw_decode(page, start)
    assert not set("<>&") & set(page[start:end])  # no '</script>', '<!--' or '<script' reaches the script
    (row,) = json.loads(options["data_json"])
    ident = analysis.table["id"][0]
    cells = [ident, payload, "direct", f"great {payload} wonderful"]
    assert [html.unescape(c) for c in row if isinstance(c, str)][
        :4
    ] == cells  # the id: a link made by report.js
    details = json.loads(html.unescape(row[-1]))  # the details cell: role, affiliation, cue, review
    assert payload in details["parts"] and details["parent"] == ""
    assert "keys_to_be_evaluated" not in options  # nothing for eval(), which the CSP forbids
    fallback = Parsed(page[page.index('<div id="eo-statements_fallback">') : page.index("</table></div>")])
    assert payload in fallback.text
    assert {tag for tag, _ in fallback.tags} <= {"div", "table", "thead", "tbody", "tfoot", "tr", "th", "td",
                                                  "sup", "noscript", "span", "a"}  # fmt: skip


@pytest.mark.parametrize("payload", PAYLOADS)
def test_script_json_is_inert_inside_a_script(payload: str) -> None:
    encoded = report.script_json({"cell": payload, "list": [payload, "</script><!--<script>"]})
    assert not set("<>&\u2028\u2029") & set(encoded)
    assert json.loads(encoded) == {"cell": payload, "list": [payload, "</script><!--<script>"]}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_highlight_escapes_text_and_keeps_spans(payload: str) -> None:
    text = f"a {payload} b"
    page = report.highlight(text, [(0, len(text), Markup("<mark>")), (2, 2 + len(payload), Markup("<mark>"))])
    parsed = Parsed(page)
    assert parsed.text == text and [tag for tag, _ in parsed.tags] == ["mark", "mark"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_colours_are_hex_or_grey(payload: str) -> None:
    assert report.colour({"x": payload}, "x") == "#777777"
    assert report.colour({"x": "#0072B2"}, "x") == "#0072B2"


def test_a_table_with_an_unexpected_script_is_refused() -> None:
    with pytest.raises(RuntimeError, match="expected 2 scripts"):
        report.show_with_scripts("<script>a()</script><script>b()</script><SCRIPT>c()</SCRIPT>", expected=2)


def test_policy_allows_exactly_the_report_scripts(rendered_report: Path) -> None:
    page = rendered_report.read_text(encoding="utf-8")
    (meta,) = re.findall(r"<meta [^>]*http-equiv=\"Content-Security-Policy\"[^>]*>", page)
    policy = dict(
        (d.split()[0], d.split()[1:])
        for d in html.unescape(re.search(r'content="([^"]*)"', meta)[1]).split("; ")
    )
    assert policy["default-src"] == ["'none'"] and policy["connect-src"] == ["'none'"]
    assert policy["img-src"] == ["data:"] and policy["base-uri"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    hashes = report.script_hashes(page)
    assert len(hashes) == 5 and sorted(policy["script-src"]) == sorted([*hashes, "blob:"])
    assert page.index("Content-Security-Policy") < min(page.index("<script"), page.index("<style"))


def test_a_normal_run_leaves_only_the_report(rendered_report: Path) -> None:
    assert sorted(p.name for p in rendered_report.parent.iterdir()) == [f"{KURSK}.html"]


def test_the_executed_notebook_is_kept_only_when_asked(tmp_path: Path) -> None:
    steps: list[str] = []
    page = report.render_report(KURSK, tmp_path, keep_notebook=True, progress=steps.append)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{KURSK}.html", f"{KURSK}.ipynb"]
    assert page.name == f"{KURSK}.html"
    assert steps == ["extracting and scoring statements", "running the report notebook", "rendering the page"]


def test_skipped_paragraphs_are_counted_in_the_methods(kursk_analysis) -> None:
    lines = ("paragraph at characters 5-9 (“odd”) was skipped: IndexError: x",)
    curation = dataclasses.replace(kursk_analysis.curation, skipped=lines)
    analysis = dataclasses.replace(kursk_analysis, curation=curation)
    methods = str(report.methods_html(analysis))
    assert "1 paragraph of the article could not be read by the extractor and was skipped" in methods
    assert "characters 5-9" in methods


# --- Header, one line per expert, footer, methods ---


@pytest.mark.parametrize(
    ("source", "link"),
    [
        ("https://example.org/news/a?b=1&c=2", True),
        ("http://example.org/x", True),
        ("javascript:alert(1)", False),
        ("news article supplied as seeds/kursk_article.txt", False),
        ("https://example.org/x onmouseover=alert(1)", False),
    ],
)
def test_header_links_only_http_sources(kursk_analysis, monkeypatch, source: str, link: bool) -> None:
    monkeypatch.setitem(kursk_analysis.article.meta, "source", source)
    parsed = Parsed(report.header_html(kursk_analysis))
    assert [tag for tag, _ in parsed.tags][:2] == ["header", "h1"]
    assert parsed.values("href") == ([source] if link else [])
    assert source in parsed.text and "Who said what: Ukraine doubles down on Kursk" in parsed.text


def test_expert_summary_counts_claims(kursk_analysis) -> None:
    """Kagan has six rows, two of them quotes inside his paraphrases (s27 in s26, s31 in s30): four claims."""
    summary = report.expert_summary_html(kursk_analysis, experts(kursk_analysis.table))
    lines = Parsed(summary).text
    assert "Robert Kagan: 4 claims (6 statements);" in lines
    assert "Mick Ryan: 5 claims;" in lines  # nothing of his nests
    assert "Ukraine’s overall war outlook is…: 4 against" in lines.replace("'", "’")
    assert [t for t in kursk_analysis.topics["topic"] if t in summary] == []


def test_footer_says_when_what_version_and_how_much_people_reviewed(kursk_analysis) -> None:
    from datetime import UTC, datetime

    import utils

    footer = report.footer_html(kursk_analysis, now=datetime(2026, 12, 1, 11, 50, tzinfo=UTC))
    assert f"Generated 2026-12-01 11:50 UTC by expert-opinions {utils.__version__}." in footer
    assert "37 of 37 statements reviewed by people" in footer


def test_unreviewed_rows_are_marked(kursk_analysis) -> None:
    table = kursk_analysis.table.copy()
    table["reviewed_by"] = ["" if i == "s05" else "someone" for i in table["id"]]
    analysis = dataclasses.replace(kursk_analysis, table=table)
    from utils.analysis import provenance

    assert provenance(analysis.table) == "36 of 37 statements reviewed by people"
    frame = report.statements_frame(analysis)
    unreviewed = frame.loc[frame["statement"].str.startswith("(not reviewed)"), "id"]
    assert unreviewed.tolist() == ["s05"]
    cards = viz.statements_html(analysis, ["Serhiy Grabsky"], {})
    assert cards.count("not reviewed") == 1


def test_nested_rows_follow_their_parent_in_the_table(kursk_analysis) -> None:
    frame = report.statements_frame(kursk_analysis)
    ids = frame["id"].tolist()
    for child, parent in {"s08": "s07", "s27": "s26", "s31": "s30", "s35": "s34"}.items():
        assert ids.index(child) == ids.index(parent) + 1
        assert frame.loc[frame["id"] == child, "statement"].iloc[0].startswith(f"↳ within {parent} · ")
    assert sorted(ids) == sorted(kursk_analysis.table["id"])  # the data keeps every row


def test_methods_never_speak_of_human_labels_when_there_are_none(tmp_path: Path, data_copy: Path) -> None:
    from utils.analysis import analyse_ref

    story = tmp_path / "story.txt"
    story.write_text(
        "Bridge vote\n\n“The bridge is a great success,” Mayor Ana Lopez said.\n", encoding="utf-8"
    )
    methods = report.methods_html(analyse_ref(str(story)))
    assert "human" not in methods and "0 of 1 statements reviewed by people" in methods
    assert "Nobody has labelled a statement of this article yet" in methods
