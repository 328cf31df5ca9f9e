"""The comparison page: where a few people stand on each proposition, and how that moved in time.

A hand-made coverage of seven dated articles (one dated by its month only) quotes Ann Akers on a
wall, Ben Brody on taxes and Cy Cole on the weather; the expected grid counts, changes and
"nothing found" below were worked out by reading the tables, not copied from the program. A
hostile person, proposition and re-quote put markup, attribute breakers and ``javascript:``
addresses into every field the page shows: nothing of it may run, in a real browser too.
"""

from __future__ import annotations

import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from tests.static_page import assert_inert_and_fits, open_watched, screenshot
from tests.test_dossier import HOSTILE, parsed, write_dataset
from utils.compare import build_comparison
from utils.compare_cli import page_name, run_compare
from utils.compare_figures import plot_stance, plot_timelines, plot_tone
from utils.corpus import run_corpus
from utils.errors import InputError, TableError
from utils.narrative import comparison_prose, coverage_source_line
from utils.people.apply import dataset_stance
from utils.positions import date_range, gather

DATES = {
    "a1": "2016-01-05",
    "a2": "2016-02-10",
    "a3": "2016-03-15",
    "a4": "2016-04-20",
    "a5": "2016-05",  # only the month is known
    "a6": "2016-05-20",
    "a7": "2016-06-01",
}
WALL, TAX = "The wall should be built", "Taxes should rise"
TOPICS = pd.DataFrame({"topic": ["wall", "tax"], "proposition": [WALL, TAX], "keywords": ["wall", "tax"]})


def _row(article: str, sid: str, speaker: str, text: str, **extra: object) -> dict[str, object]:
    row = {
        "article_id": article,
        "file": f"{article}.txt",
        "title": f"Story {article}",
        "outlet": f"Outlet {article[-1]}",
        "date": DATES[article],
        "url": f"https://news.example/{article}",
        "id": sid,
        "speaker": speaker,
        "affiliation": "",
        "kind": "direct",
        "text": text,
        "start": int(sid[1:]) * 100,
        "end": int(sid[1:]) * 100 + len(text),
        "cue": "said",
        "vader_compound": 0.5 if article < "a4" else -0.5,
        "tb_polarity": 0.2,
        "hedges": "may" if article < "a4" else "",
        "boosters": "" if article < "a4" else "clearly; surely",
        "certainty": -1.0 if article < "a4" else 1.0,
        "epistemic": "hedged" if article < "a4" else "certain",
    }
    return {**row, **extra}


def coverage_rows() -> list[dict[str, object]]:
    rows = []
    for article in DATES:
        rows.append(
            _row(article, "s1", "Ann Akers", f"the wall in {article} matters", affiliation="professor")
        )
        rows.append(
            _row(article, "s2", "Ben Brody", f"the tax in {article}" if article < "a5" else "it rains")
        )
        rows.append(_row(article, "s3", "Cy Cole", f"the weather in {article} is mild"))
    rows.append(_row("a1", "s9", "Ann Akers", "a second word on the wall"))
    rows += [_row(a, "s4", "Smith", "a bare surname in two articles") for a in ("a1", "a2")]
    hostile = {k: HOSTILE[k] for k in ("title", "outlet", "url", "affiliation")}
    rows.append(_row("a3", "s5", "Mal O'Ry", HOSTILE["text"] + " the wall", **hostile))
    return rows


def stance_rows(*labels: tuple[str, str, str, str, str]) -> pd.DataFrame:
    """(article, statement id, topic, label, source) rows as the long stance table."""
    propositions = {"wall": WALL, "tax": TAX}
    return pd.DataFrame(
        [
            {
                "article_id": a,
                "id": i,
                "topic": t,
                "proposition": propositions.get(t, t),
                "label": lab,
                "source": s,
            }
            for a, i, t, lab, s in labels
        ]
    )


# Ann on the wall: favor, favor (and a suggestion the same day), against, against (a suggestion on a
# statement people labelled, which does not count), a month-only date with no label (it mentions
# the wall), a statement people called not addressed, and a last suggestion. Ben on taxes: people
# neutral, then a suggestion against; two more statements mention taxes.
STANCE = stance_rows(
    ("a1", "s1", "wall", "favor", "people"),
    ("a1", "s9", "wall", "favor", "suggestion"),
    ("a2", "s1", "wall", "favor", "people"),
    ("a3", "s1", "wall", "against", "people"),
    ("a4", "s1", "wall", "against", "people"),
    ("a4", "s1", "wall", "favor", "suggestion"),
    ("a6", "s1", "wall", "not addressed", "people"),
    ("a7", "s1", "wall", "against", "suggestion"),
    ("a1", "s2", "tax", "neutral", "people"),
    ("a2", "s2", "tax", "against", "suggestion"),
)
PEOPLE = ["Ann Akers", "Ben Brody", "Cy Cole"]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    return write_dataset(tmp_path_factory.mktemp("compare") / "corpus", coverage_rows())


@pytest.fixture(scope="module")
def comparison(dataset):
    return build_comparison(dataset, PEOPLE, TOPICS, STANCE)


class Page(HTMLParser):
    """Every element's id with the links and the text inside it."""

    VOID = frozenset({"br", "meta", "img", "input", "link", "hr"})

    def __init__(self, html: str) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.links: dict[str, list[str]] = defaultdict(list)
        self.text: dict[str, str] = defaultdict(str)
        self.ids: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.append(found["id"])
        if tag == "a" and found.get("href"):
            for _, element in self.stack:
                if element:
                    self.links[element].append(found["href"])
        if tag not in self.VOID:
            self.stack.append((tag, found.get("id")))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        for _, element in self.stack:
            if element:
                self.text[element] += data


# --- what the page counts -------------------------------------------------------------------------


def test_the_grid_counts_people_s_labels_and_suggestions_apart(comparison) -> None:
    grid = comparison.positions.grid().set_index(["person", "proposition"])
    ann, ben, cy = grid.loc[("Ann Akers", WALL)], grid.loc[("Ben Brody", TAX)], grid.loc[("Cy Cole", WALL)]
    # Ann: a1, a1 (second), a2, a3, a4, a5 (mentions), a7; a6 is not addressed, a4's suggestion is overruled
    assert ann["statements"] == 7
    assert (ann["people favor"], ann["people against"]) == (2, 2)
    assert (ann["suggested favor"], ann["suggested against"], ann["suggested mentions"]) == (1, 1, 1)
    assert (
        ben["statements"],
        ben["people neutral"],
        ben["suggested against"],
        ben["suggested mentions"],
    ) == (
        4,
        1,
        1,
        2,
    )
    assert grid.loc[("Ben Brody", WALL), "statements"] == 0 and cy["statements"] == 0
    html = comparison.html
    assert '<span class="chip favor">favor 2</span><span class="chip against">against 2</span>' in html
    assert '<span class="chip suggested favor">suggested favor 1</span>' in html
    assert '<span class="chip suggested addressed">suggested mentions 1</span>' in html


def test_every_cell_leads_to_exactly_its_statements(comparison) -> None:
    html = comparison.html
    page = Page(html)
    cells = re.findall(r'href="#(c(\d+)-(\d+))">(\d+) statement\(s\)</a>', html)
    assert {(c, int(n)) for c, _, _, n in cells} == {("c1-1", 7), ("c2-2", 4)}
    for cell, who, number, count in cells:
        targets = {h[1:] for h in page.links[cell]}
        assert len(targets) == int(count) and all(t.startswith(f"s{who}-") for t in targets)
        for target in targets:  # each statement listed under the cell carries that proposition's chip
            assert re.search(rf"\bP{number}\b", page.text[target]), page.text[target]


def test_every_link_on_the_page_leads_somewhere(comparison) -> None:
    page = parsed(comparison.html)
    inside = [h for h in page.hrefs if h.startswith("#")]
    assert inside and all(h[1:] in page.ids for h in inside)
    assert len(page.ids) == len(set(Page(comparison.html).ids))  # no id twice
    outside = [h for h in page.hrefs if not h.startswith("#")]
    assert outside and all(h.startswith("https://news.example/") for h in outside)


def test_every_statement_of_the_people_is_on_the_page(comparison) -> None:
    page = Page(comparison.html)
    assert len(comparison.positions.statements) == 8 + 7 + 7
    assert all(a in page.ids for a in comparison.positions.statements["anchor"])


# --- changes of stance ----------------------------------------------------------------------------

F, A, N = "favor", "against", "neutral"
CHANGES = [
    # (Ann's labels on the wall: article, statement, label, source), expected (kind, suggested, before, after)
    ([("a1", "s1", F, "people"), ("a2", "s1", A, "people")], [("reversal", False, "a1", "a2")]),
    ([("a1", "s1", F, "people"), ("a2", "s1", F, "people")], []),
    ([("a1", "s1", F, "people"), ("a2", "s1", N, "people")], [("shift", False, "a1", "a2")]),
    ([("a1", "s1", F, "people"), ("a1", "s9", A, "people")], []),  # one day, two labels: no order to read
    ([("a1", "s1", F, "people"), ("a2", "s1", F, "people"), ("a2", "s1", A, "people")], []),  # shares favor
    ([("a4", "s1", F, "people"), ("a5", "s1", A, "people")], [("reversal", False, "a4", "a5")]),
    ([("a5", "s1", F, "people"), ("a6", "s1", A, "people")], []),  # May (month only) may be after May 20
    ([("a1", "s1", F, "people"), ("a2", "s1", A, "suggestion")], [("reversal", True, "a1", "a2")]),
    ([("a1", "s1", F, "people"), ("a2", "s1", F, "people"), ("a2", "s1", A, "suggestion")], []),
    (
        [("a1", "s1", F, "people"), ("a2", "s1", A, "people"), ("a3", "s1", F, "people")],
        [("reversal", False, "a1", "a2"), ("reversal", False, "a2", "a3")],
    ),
    (
        [("a1", "s1", F, "suggestion"), ("a3", "s1", F, "people"), ("a2", "s1", A, "people")],
        [
            ("reversal", False, "a2", "a3"),
            ("reversal", True, "a1", "a2"),
        ],
    ),
]


@pytest.mark.parametrize(("labels", "expected"), CHANGES)
def test_a_change_of_stance_is_flagged_between_two_dates(dataset, labels, expected) -> None:
    stance = stance_rows(*((a, s, "wall", label, source) for a, s, label, source in labels))
    positions = gather(dataset, ["Ann Akers"], None, stance)
    article = positions.statements.set_index("anchor")["article_id"]
    found = [
        (c.kind, c.suggested, article[c.before], article[c.after])
        for c in positions.changes.itertuples(index=False)
    ]
    assert found == expected


def test_a_flagged_change_shows_both_statements_side_by_side(comparison) -> None:
    changes = comparison.positions.changes
    people = changes[~changes["suggested"]]
    assert people[["who", "kind", "before_label", "after_label"]].values.tolist() == [[1, "reversal", F, A]]
    page = Page(comparison.html)
    assert 'href="#x1-1">⚑ stance changed</a>' in comparison.html
    pair = page.links["x1-1"]
    assert [h for h in pair if h.startswith("#s")] == [
        "#" + people.iloc[0]["before"],
        "#" + people.iloc[0]["after"],
    ]
    assert "the wall in a2 matters" in page.text["x1-1"] and "the wall in a3 matters" in page.text["x1-1"]
    suggested = changes[changes["suggested"]]  # Ben: people neutral, then a suggestion against
    assert suggested[["who", "kind"]].values.tolist() == [[2, "shift"]]
    assert "Resting on machine suggestions" in comparison.html and "neutral (people)" in comparison.html


# --- nothing found --------------------------------------------------------------------------------


def test_a_person_with_nothing_on_any_proposition_is_said_to_have_nothing(comparison) -> None:
    assert comparison.positions.nothing == ["Cy Cole"]
    page = Page(comparison.html)
    assert "Nothing found for Cy Cole" in page.text["nothing"]
    row = re.search(r'<tr><th scope="row"><a href="#p3">Cy Cole</a></th>(.*?)</tr>', comparison.html).group(1)
    assert "Nothing found on these propositions" in row and "chip" not in row


def test_no_propositions_draw_no_grid(dataset) -> None:
    comparison = build_comparison(dataset, ["Ann Akers", "Ben Brody"], None, None)
    assert '<table class="grid"' not in comparison.html
    assert "No propositions to compare on." in comparison.html
    assert comparison.positions.nothing == ["Ann Akers", "Ben Brody"]
    assert "no propositions were given" in Page(comparison.html).text["nothing"]


def test_nobody_on_any_proposition_draws_no_grid(dataset) -> None:
    comparison = build_comparison(dataset, ["Cy Cole", "Ben Brody"], TOPICS.iloc[:1], None)
    assert '<table class="grid"' not in comparison.html and 'id="nothing"' in comparison.html


@pytest.mark.parametrize(
    ("people", "problem"),
    [
        (["Ann Akers", "Nobody Atall"], "nobody called 'Nobody Atall' is quoted in it"),
        (["Ann Akers", "Smith"], "'Smith' is more than one person"),
        (["Ann Akers", "ann akers"], "'ann akers' and 'Ann Akers' are the same person"),
        ([], "no person to compare was given"),
    ],
)
def test_unknown_ambiguous_or_repeated_people_are_one_line_errors(dataset, people, problem) -> None:
    with pytest.raises(InputError) as raised:
        build_comparison(dataset, people, None, None)
    assert problem in raised.value.message and "\n" not in raised.value.message


@pytest.mark.parametrize(
    ("table", "problem"),
    [
        (STANCE.drop(columns=["source"]), "the stance table has no column(s) source"),
        (STANCE.assign(label="favour-ish"), "stance label 'favour-ish' is unknown"),
        (STANCE.assign(source="robot"), "stance source 'robot' is unknown"),
    ],
)
def test_a_bad_stance_table_is_a_one_line_error(dataset, table, problem) -> None:
    with pytest.raises(InputError, match=re.escape(problem)):
        build_comparison(dataset, PEOPLE, None, table)


# --- tone, certainty, dates -----------------------------------------------------------------------


def test_tone_and_certainty_are_per_period_and_beside_the_stance(comparison) -> None:
    tone = comparison.positions.tone
    ann = tone[tone["who"] == 1].set_index("period")
    january = ann.iloc[0]  # a1's two statements: hedged, positive
    assert (january["statements"], january["hedges"], january["boosters"]) == (2, 2, 0)
    assert january["vader"] == pytest.approx(0.5) and january["certainty"] == pytest.approx(-1.0)
    assert ann.iloc[-1]["boosters"] == 2 and ann.iloc[-1]["certainty"] == pytest.approx(1.0)
    html = comparison.html
    assert "never the stance" in html and "4: may (4)" in html and "8: clearly (4), surely (4)" in html


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2016-03-02", ("2016-03-02", "2016-03-02")),
        ("2016-03", ("2016-03-01", "2016-03-31")),
        ("2016", ("2016-01-01", "2016-12-31")),
        ("2016-02-30", None),
        ("", None),
        ("March 2016", None),
    ],
)
def test_dates_of_any_iso_precision_cover_their_days(text, expected) -> None:
    found = date_range(text)
    assert (None if found is None else tuple(d.isoformat() for d in found)) == expected


# --- re-quotes ------------------------------------------------------------------------------------


def test_re_quotes_show_the_words_and_the_speaker_that_differ(dataset) -> None:
    requotes = pd.DataFrame(
        [
            (
                "g1",
                "a1",
                "Outlet 1",
                DATES["a1"],
                "Ann Akers",
                "p-ann-akers",
                "the wall in a1 matters",
                100,
                122,
            ),
            (
                "g1",
                "a2",
                "Outlet 2",
                DATES["a2"],
                "Ann Akers",
                "p-ann-akers",
                "the wall in a1 matters",
                5,
                27,
            ),
            ("g1", "a3", "Outlet 3", DATES["a3"], "a spokesman", "", "the big wall in a1 matters", 9, 35),
            ("g2", "a4", "Outlet 4", DATES["a4"], "Dee Ell", "p-dee-ell", "not about these people", 1, 20),
            ("g2", "a5", "Outlet 5", DATES["a5"], "Dee Ell", "p-dee-ell", "not about these people", 1, 20),
        ],
        columns=["group", "article_id", "outlet", "date", "speaker", "person_id", "text", "start", "end"],
    )
    comparison = build_comparison(dataset, ["Ann Akers", "Ben Brody"], None, None, requotes)
    shown = comparison.positions.requotes
    assert set(shown["group"]) == {"g1"}
    assert shown["wording_differs"].tolist() == [False, False, True]
    assert shown["speaker_differs"].tolist() == [False, False, True]
    html = comparison.html
    assert "the <ins>big</ins> wall in a1 matters" in html
    assert '<span class="differs">a spokesman (another speaker)</span>' in html
    assert html.count('<article class="requote">') == 1 and "not about these people" not in html
    assert 'href="#s1-1">the statement</a>' in html  # the occurrence that is Ann's statement links to it
    prose = comparison_prose(comparison.positions)
    assert "1 quote of theirs appear in several articles; in 1 of them the wording or the speaker" in prose


def test_without_a_re_quote_table_the_page_says_none_were_searched(comparison) -> None:
    assert "Re-quotes were not searched for this page" in comparison.html


# --- prose ----------------------------------------------------------------------------------------


def test_the_prose_says_plainly_when_there_are_no_labels_yet(dataset) -> None:
    prose = comparison_prose(gather(dataset, ["Ann Akers", "Ben Brody"], TOPICS, None))
    assert "**No labels yet:** nobody has labelled these people's statements" in prose
    assert "12 machine suggestions below are leads, not findings" in prose  # all 8 of Ann's, Ben's a1-a4
    assert "People's labels show" not in prose and "no change of stance can be confirmed" in prose


def test_the_prose_is_generated_from_the_comparison(comparison) -> None:
    prose = comparison_prose(comparison.positions)
    assert "Ann Akers (8 statements), Ben Brody (7 statements), Cy Cole (7 statements)" in prose
    assert "2 propositions: P1 *The wall should be built*; P2 *Taxes should rise*" in prose
    assert "- P1, by people's labels: Ann Akers 2 favor, 2 against." in prose
    assert "1 change of stance between dates (1 reversal" in prose and "by Ann Akers" in prose
    assert "**Nothing found** for Cy Cole" in prose


def test_the_prose_escapes_what_the_corpus_says(dataset) -> None:
    prose = comparison_prose(gather(dataset, ["Ann Akers", "Mal O'Ry"], TOPICS, None))
    assert "<img" not in prose and "&lt;img src=x onerror=alert\\(1\\)&gt;" in prose


# --- the command ----------------------------------------------------------------------------------


def test_the_command_writes_one_page_into_the_folder(dataset, tmp_path, capsys) -> None:
    topics = tmp_path / "topics.csv"
    topics.write_text("topic,proposition,keywords\nwall,The wall should be built,wall\n", encoding="utf-8")
    args = SimpleNamespace(
        dataset=str(dataset),
        people=["Ann Akers", "p-ben-brody"],
        topics=str(topics),
        out=str(tmp_path / "out"),
    )
    run_compare(args)
    page = tmp_path / "out" / "compare-p-ann-akers_p-ben-brody.html"
    assert page.is_file() and "The wall should be built" in page.read_text(encoding="utf-8")
    line = capsys.readouterr().out
    assert line.startswith("compare: 2 people, 15 statements; 1 propositions;") and str(page) in line


def test_the_command_searches_the_dataset_for_re_quotes(tmp_path, capsys) -> None:
    """Ann's line in a1 and a2 of the coverage (given to "a spokesman" in a2): the page lists the
    two occurrences; the other people's statements in two articles (Smith) are not on it."""
    line = "We will build the wall before the winter comes back to the valley"
    rows = [*coverage_rows(), _row("a1", "s7", "Ann Akers", line), _row("a2", "s7", "a spokesman", line)]
    dataset = write_dataset(tmp_path / "corpus", rows)
    args = SimpleNamespace(
        dataset=str(dataset), people=["Ann Akers", "Ben Brody"], topics=None, out=str(tmp_path)
    )
    run_compare(args)
    html = (tmp_path / "compare-p-ann-akers_p-ben-brody.html").read_text(encoding="utf-8")
    assert html.count('<article class="requote">') == 1 and "a spokesman (another speaker)" in html
    assert "a bare surname in two articles" not in html
    assert "; re-quoted in other articles: 1" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("people", "topics", "error", "problem"),
    [
        (["Ann Akers"], None, InputError, "compare needs two or more people"),
        (["Ann Akers", "Nobody Atall"], None, InputError, "nobody called 'Nobody Atall'"),
        (["Ann Akers", "Ben Brody"], "topic,claim\nwall,x\n", TableError, "topics"),
    ],
)
def test_the_command_refuses_bad_input_in_one_line_before_writing(
    dataset, tmp_path, people, topics, error, problem
):
    path = None
    if topics:
        path = tmp_path / "topics.csv"
        path.write_text(topics, encoding="utf-8")
    args = SimpleNamespace(
        dataset=str(dataset), people=people, topics=path and str(path), out=str(tmp_path / "out")
    )
    with pytest.raises(error) as raised:
        run_compare(args)
    assert problem in raised.value.message and "\n" not in raised.value.message
    assert not (tmp_path / "out").exists()


def test_the_command_never_writes_into_the_curated_folder(dataset, data_copy) -> None:
    args = SimpleNamespace(
        dataset=str(dataset), people=["Ann Akers", "Ben Brody"], topics=None, out=str(data_copy / "curated")
    )
    with pytest.raises(InputError, match="curated"):
        run_compare(args)


def test_a_long_list_of_people_gets_a_short_distinct_file_name() -> None:
    many = [f"p-someone-with-a-long-name-{i}" for i in range(12)]
    name = page_name(many)
    assert len(name) < 150 and name != page_name([*many[:-1], "p-other"]) and name.endswith(".html")


def test_people_s_curated_labels_reach_the_comparison(tmp_path, data_copy) -> None:
    """A corpus over the bundled articles carries the Kursk article's labels (``_stance.parquet``),
    every labelled statement on each of its 4 topics, and the comparison counts them as people's."""
    dataset = run_corpus(data_copy / "articles", tmp_path / "bundled", workers=1, progress=False).out
    labels = dataset_stance(dataset)
    stance = pd.read_csv(data_copy / "curated" / "kursk-2025-01.stance.csv", dtype=str)
    assert len(labels) == stance["id"].nunique() * 4
    assert set(labels["source"]) == {"people"}
    row = labels[(labels["id"] == "s02") & (labels["topic"] == "hold_kursk")].iloc[0]
    assert (row["label"], row["proposition"]) == ("favor", "Ukraine can keep holding Kursk")
    comparison = build_comparison(dataset, ["Mick Ryan", "Robert Kagan"], None, labels)
    assert "No labels yet" not in comparison_prose(comparison.positions)
    table = pd.read_parquet(dataset)
    assert len(table) == 37 and (table["reviewed_by"] != "").all()
    assert set(table.loc[table["speaker"] == "Robert Kagan", "person_id"]) == {"p-robert-kagan"}
    line = coverage_source_line(data_copy / "articles", dataset, by_default=True)
    assert line.startswith(
        "The shared corpus is not beside the project, so this comparison reads the bundled"
    )
    assert "37 statements, 37 of them reviewed by people" in line


def test_the_notebook_figures_say_what_they_show(comparison, dataset) -> None:
    alts = [plot(comparison.positions)[1] for plot in (plot_stance, plot_timelines, plot_tone)]
    assert "P1 · Ann Akers: 2 against, 2 favor" in alts[0] and "P1 · Ann Akers (suggested)" in alts[0]
    assert alts[1].startswith("Stance over time: dated labels") and "tone +0.00" in alts[2]
    nothing = gather(dataset, ["Cy Cole"], None, None)
    assert [plot(nothing)[1] for plot in (plot_stance, plot_timelines)] == [
        "Where they stand: no labels or suggestions on any proposition yet.",
        "Stance over time: no dated statement carries a label or a suggestion.",
    ]


# --- size -----------------------------------------------------------------------------------------


def test_five_people_five_propositions_a_thousand_statements_each_stay_under_five_megabytes(tmp_path) -> None:
    names = ["Ann Akers", "Ben Brody", "Cy Cole", "Di Dunn", "Ed Eyre"]
    rows, stance = [], []
    for k in range(1000):
        article = f"n{k}"
        for j, name in enumerate(names):
            text = ("policy " if k % 2 else "") + "word " * 59  # 300 characters, half mention a keyword
            rows.append(
                _row(
                    "a1",
                    f"s{j + 1}",
                    name,
                    text,
                    article_id=article,
                    date=f"2016-{1 + k % 12:02d}-{1 + k % 28:02d}",
                    title=f"A headline of some length, number {k}",
                    url=f"https://news.example/2016/{article}",
                )
            )
            stance.append(
                (
                    article,
                    f"s{j + 1}",
                    f"t{(k + j) % 5}",
                    ("favor", "against", "mixed", "neutral")[k % 4],
                    ("people", "suggestion")[(k // 4) % 2],
                )
            )
    dataset = write_dataset(tmp_path / "big", rows)
    topics = pd.DataFrame(
        {
            "topic": [f"t{t}" for t in range(5)],
            "proposition": [f"Proposition {t}" for t in range(5)],
            "keywords": ["policy", "", "", "", ""],
        }
    )
    table = stance_rows(*stance).assign(proposition=lambda t: t["topic"].str.replace("t", "Proposition "))
    comparison = build_comparison(dataset, names, topics, table)
    assert len(comparison.positions.statements) == 5000 and len(comparison.positions.marks) > 5000
    assert len(comparison.html.encode("utf-8")) < 5_000_000


# --- in a real browser ----------------------------------------------------------------------------


def hostile_comparison(dataset) -> str:
    topics = pd.DataFrame(
        {"topic": ["wall"], "proposition": [HOSTILE["title"] + " wall"], "keywords": ["wall"]}
    )
    stance = stance_rows(
        ("a3", "s5", "wall", "favor", "people"), ("a1", "s1", "wall", "against", "people")
    ).assign(proposition=HOSTILE["title"] + " wall")
    requotes = pd.DataFrame(
        {
            "group": ["<b>g</b>"] * 2,
            "article_id": ["a3", "a4"],
            "outlet": [HOSTILE["outlet"]] * 2,
            "date": [DATES["a3"], "<i>soon</i>"],
            "speaker": ["Mal O'Ry", HOSTILE["person"]],
            "person_id": ["o-mal-o-ry-ae8c08", ""],
            "text": [HOSTILE["text"], HOSTILE["text"] + " <svg onload=alert(4)>"],
            "start": [500, 1],
            "end": [560, 90],
            "differs": ['" onmouseover="alert(5)', "speaker"],
        }
    )
    people = ["Mal O'Ry", "Ann Akers"]
    return build_comparison(dataset, people, topics, stance, requotes).html


def test_nothing_from_the_corpus_becomes_markup(dataset) -> None:
    html = hostile_comparison(dataset)
    page = parsed(html)
    assert [t for t, _ in page.tags if t in ("script", "img", "b", "i", "iframe", "object")] == []
    assert [t for t, a in page.tags if t == "svg" and "onload" in a] == []
    assert not any(k.startswith("on") for _, attrs in page.tags for k in attrs)
    assert [attrs for t, attrs in page.tags if "style" in attrs or "data-x" in attrs] == []
    assert not any(h.lower().startswith("javascript") for h in page.hrefs)
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt; wall" in html
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "script-src" not in policy and "default-src 'none'" in policy and "unsafe-inline" not in policy


@pytest.fixture(scope="module")
def hostile_page(dataset, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "compare.html"
    path.write_text(hostile_comparison(dataset), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def page_file(comparison, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("page") / "compare.html"
    path.write_text(comparison.html, encoding="utf-8")
    return path


@pytest.mark.parametrize("width", [1280, 390])
def test_in_chromium_nothing_runs_nothing_covers_the_page_and_it_fits(browser, hostile_page, width) -> None:
    page, seen = open_watched(browser, hostile_page, width)
    for element in page.locator("blockquote, .differs, td").all()[:20]:
        element.hover()
    assert_inert_and_fits(page, seen, width)
    screenshot(page, f"compare-hostile-{width}.png")
    page.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_in_chromium_the_page_reads_at_desktop_and_phone_width(browser, page_file, width) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(page_file.as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shown = "svg.narrow" if width < 600 else "svg.wide"
    assert page.locator(shown).first.is_visible()
    cell = page.locator("table.grid td").first
    assert cell.bounding_box()["width"] > (300 if width < 600 else 150)  # stacked on a phone, never squeezed
    screenshot(page, f"compare-{width}.png")
    page.locator("#timelines").scroll_into_view_if_needed()
    screenshot(page, f"compare-timelines-{width}.png")
    page.close()


def test_in_chromium_a_cell_leads_to_its_statements(browser, page_file) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(page_file.as_uri())
    page.locator('table.grid a[href="#c1-1"]').click()
    assert page.evaluate("location.hash") == "#c1-1"
    page.locator("#c1-1 p.dates a").first.click()
    target = page.evaluate("location.hash")
    assert page.locator(f"li{target}").is_visible() and "wall" in page.locator(f"li{target}").inner_text()
    page.close()
