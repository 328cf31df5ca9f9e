"""A person's dossier: everything they said, dated, linked, and as safe as the report.

The hostile corpus puts markup, attribute breakers, ``javascript:`` addresses and formula
prefixes in every field a dossier shows; nothing of it may run or lay anything over the page,
in a real browser too.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from tests.static_page import assert_inert_and_fits, open_watched, screenshot
from utils.dossier import build_dossier
from utils.people.identify import identify

HOSTILE = {
    "person": "Mal O'Ry <img src=x onerror=alert(1)>\"",  # a name people typed in a rename
    "title": '<script>alert("title")</script>',
    "outlet": '=HYPERLINK("http://evil.example")',
    "url": "javascript:alert(1)",
    "affiliation": 'x" style="position:fixed;inset:0;background:red" data-x="',
    "text": "</blockquote><script>alert(2)</script><b onmouseover=alert(3)>hover</b>",
}


def _rows(n_per_person: int = 3) -> list[dict[str, object]]:
    people = [
        ("Hillary Clinton", "Democratic nominee"),
        ("Hillary Rodham Clinton", "former secretary of state"),
        ("Bill Clinton", "former president"),
        ("officials", ""),
        ("Mal O'Ry", HOSTILE["affiliation"]),
    ]
    rows = []
    for i in range(n_per_person):
        for j, (speaker, affiliation) in enumerate(people):
            article = f"art-{i}"
            rows.append(
                {
                    "article_id": article,
                    "file": f"{article}.txt",
                    "title": HOSTILE["title"] if j == 4 else f"Story {i}",
                    "outlet": HOSTILE["outlet"] if j == 4 else f"Outlet {i % 2}",
                    "date": f"2016-{1 + i % 12:02d}-{1 + i % 28:02d}" if i % 5 else "",
                    "url": HOSTILE["url"] if j == 4 else f"https://news.example/{article}",
                    "id": f"a{j + 1}",
                    "speaker": speaker,
                    "affiliation": affiliation,
                    "kind": "direct" if j % 2 else "paraphrase",
                    "text": HOSTILE["text"] if j == 4 else f"statement {i}-{j} about the wall",
                    "start": j * 10,
                    "end": j * 10 + 5,
                    "cue": "said",
                    "vader_compound": (-1) ** i * 0.4,
                    "certainty": 0.5 if i % 3 else float("nan"),
                }
            )
    return rows


def write_dataset(folder: Path, rows: list[dict[str, object]]) -> Path:
    """A corpus dataset as ``opinions corpus`` writes it, persons identified by the registry."""
    frame = pd.DataFrame(rows)
    applied = identify((a, s, s) for a, s in zip(frame["article_id"], frame["speaker"], strict=True))
    identities = [
        applied.identities[(a, s)] for a, s in zip(frame["article_id"], frame["speaker"], strict=True)
    ]
    frame["person_id"] = [i.person_id for i in identities]
    frame["person"] = [HOSTILE["person"] if i.person == "Mal O'Ry" else i.person for i in identities]
    folder.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(folder / "part-00000.parquet")
    return folder


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    return write_dataset(tmp_path_factory.mktemp("ds") / "corpus", _rows(12))


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append((tag, found))
        if found.get("id"):
            self.ids.add(found["id"])
        if tag == "a" and found.get("href"):
            self.hrefs.append(found["href"])


def parsed(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


def test_a_dossier_gathers_every_form_of_the_person(dataset) -> None:
    dossier = build_dossier(dataset, "Hillary Clinton")
    assert (dossier.person_id, dossier.statements) == ("p-hillary-clinton", 24)
    assert "Hillary Rodham Clinton" in dossier.html and "Democratic nominee (12)" in dossier.html
    assert "Bill Clinton" in dossier.html  # quoted alongside, not merged


def test_every_mark_and_link_leads_somewhere_on_the_page(dataset) -> None:
    page = parsed(build_dossier(dataset, "p-hillary-clinton").html)
    inside = [h for h in page.hrefs if h.startswith("#")]
    assert inside and all(h[1:] in page.ids for h in inside)
    outside = [h for h in page.hrefs if not h.startswith("#")]
    assert outside and all(h.startswith("https://news.example/") for h in outside)


def test_nothing_from_the_corpus_becomes_markup(dataset) -> None:
    dossier = build_dossier(dataset, "Mal O'Ry")
    page = parsed(dossier.html)
    assert [t for t, _ in page.tags if t in ("script", "img", "b", "iframe", "object")] == []
    assert not any(k.startswith("on") for _, attrs in page.tags for k in attrs)
    assert [attrs for t, attrs in page.tags if "style" in attrs or "data-x" in attrs] == []
    assert not any(h.lower().startswith("javascript") for h in page.hrefs)
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;" in dossier.html
    assert "Mal O&#39;Ry &lt;img src=x onerror=alert(1)&gt;&#34;" in dossier.html
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', dossier.html).group(1)
    assert "script-src" not in policy and "default-src 'none'" in policy and "unsafe-inline" not in policy


def test_undated_statements_are_listed_and_said_to_be_undrawn(dataset) -> None:
    html = build_dossier(dataset, "Bill Clinton").html
    assert 'id="m-no-date"' in html and "undated statement(s) are listed below but not drawn" in html


def test_people_s_labels_and_suggestions_are_drawn_and_counted_apart(dataset) -> None:
    rows = pd.read_parquet(dataset)
    mine = rows[rows["person_id"] == "p-william-clinton"]
    stance = pd.DataFrame(
        {
            "article_id": mine["article_id"],
            "id": mine["id"],
            "topic": "wall",
            "proposition": "The US should build a wall",
            "label": ["favor", "against"] * (len(mine) // 2),
            "source": ["people", "suggestion"] * (len(mine) // 2),
        }
    )
    html = build_dossier(dataset, "Bill Clinton", stance=stance).html
    assert "6 label(s) by people, 6 suggestion(s) by the machine" in html
    assert html.count('class="hollow against"') >= 4  # suggestions hollow, in both figure sizes
    assert 'class="badge machine"' in html and "wall: against (suggested)" in html


def test_a_dossier_of_a_thousand_statements_stays_under_five_megabytes(tmp_path) -> None:
    rows = [dict(r, text="word " * 60, speaker="Hillary Clinton") for r in _rows(250)]
    dataset = write_dataset(tmp_path / "big", rows[:1000])
    dossier = build_dossier(dataset, "Hillary Clinton")
    assert dossier.statements == 1000 and len(dossier.html.encode("utf-8")) < 5_000_000


# --- in a real browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_page(dataset, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("dossier") / "dossier.html"
    path.write_text(build_dossier(dataset, "Mal O'Ry").html, encoding="utf-8")
    return path


@pytest.mark.parametrize("width", [1280, 390])
def test_in_chromium_nothing_runs_nothing_covers_the_page_and_it_fits(browser, hostile_page, width) -> None:
    page, seen = open_watched(browser, hostile_page, width)
    page.hover("blockquote")
    assert_inert_and_fits(page, seen, width)
    shown = "svg.narrow" if width < 600 else "svg.wide"
    assert page.locator(shown).first.is_visible()
    screenshot(page, f"dossier-{width}.png")
    page.close()


def test_in_chromium_a_bar_leads_to_its_statements(browser, dataset, tmp_path) -> None:
    path = tmp_path / "dossier.html"
    path.write_text(build_dossier(dataset, "Hillary Clinton").html, encoding="utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(path.as_uri())
    page.locator("svg.wide a").first.click()
    target = page.evaluate("location.hash")
    assert target.startswith("#m-") and page.locator(f"section{target} article.statement").count() > 0
    page.close()
