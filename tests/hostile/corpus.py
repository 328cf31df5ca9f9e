"""Hostile articles for the report's safety tests, built from ``payloads.txt``.

``write_curated`` puts an article with curated tables into a data folder: every payload
sits in a quote, and payloads fill speakers, affiliations, statement ids (spaces made
``/``, as the schema asks), stance rationales, topic propositions and keywords, the roles
file, the title line and the sidecar metadata. ``write_text_article`` and ``write_html_page``
make uncurated articles given as a path: a .txt with a hostile title line and quotes, and a
saved web page whose text (entity-escaped in the HTML) carries the payloads.
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd

from utils.articles import normalise

HERE = Path(__file__).resolve().parent
CURATED_ID = "hostile-01"


def payloads() -> list[str]:
    """The payload corpus: one a line, ``# `` comments skipped, ``\\u2028``/``\\u2029`` decoded."""
    lines = (HERE / "payloads.txt").read_text(encoding="utf-8").split("\n")
    return [
        line.replace("\\u2028", "\u2028").replace("\\u2029", "\u2029")
        for line in lines
        if line and not line.startswith("# ")
    ]


PAYLOADS = payloads()
NAMES = ["Ann Lee", "Bob Ray", "Cleo Diaz", "Dan Wu", "Eve Park", "Finn Roth", "Gil Moss", "Hana Kim"]
# Names that try to leave an attribute and lay a page-wide overlay (the filter panes put names in title="…").
OVERLAYS = [p for p in PAYLOADS if "position:fixed" in p]


def speakers() -> list[str]:
    """Eight speaker names, each carrying a payload; the last two are the overlay payloads."""
    chosen = [PAYLOADS[i * 5 % len(PAYLOADS)] for i in range(len(NAMES) - len(OVERLAYS))] + OVERLAYS
    return [f"{name} {payload}" for name, payload in zip(NAMES, chosen, strict=True)]


def statement_ids() -> list[str]:
    """One id per payload: the payload with its spaces as ``/`` (ids must not contain spaces)."""
    return [re.sub(r"\s+", "/", p) for p in PAYLOADS]


def title_line() -> str:
    return f"Bridge vote {PAYLOADS[0]} {PAYLOADS[2]} {PAYLOADS[11]}"


def write_curated(data: Path) -> str:
    """Write the curated hostile article into ``data`` (a copy of data/); return its id."""
    names, ids = speakers(), statement_ids()
    paragraphs, rows = [title_line()], []
    offset = len(title_line()) + 2
    for i, payload in enumerate(PAYLOADS):
        speaker = names[i % len(names)]
        plain = NAMES[i % len(names)]
        if i % 4 == 3:  # a paraphrase
            text = f"the bridge {payload} stays open"
            paragraph = f"{plain} said that {text}."
            start = offset + len(f"{plain} said that ")
            kind, cue = "paraphrase", "said"
        else:
            text = f"Nothing {payload} here,"
            paragraph = f"“{text}” said {plain}."
            start = offset + 1
            kind, cue = "direct", "said"
        rows.append(
            {
                "id": ids[i],
                "speaker": speaker,
                "affiliation": PAYLOADS[(i + 7) % len(PAYLOADS)],
                "kind": kind,
                "text": text,
                "start": start,
                "end": start + len(text),
                "cue": cue,
            }
        )
        paragraphs.append(paragraph)
        offset += len(paragraph) + 2
    paragraphs.append(f"Narration carries them too: {' '.join(PAYLOADS)}")
    article = "\n\n".join(paragraphs) + "\n"
    read = normalise(article)  # what every command reads: U+2028/U+2029 are line breaks there
    assert len(read) == len(article)  # one for one, so the offsets hold
    for row in rows:
        assert article[row["start"] : row["end"]] == row["text"], row
        row["text"] = read[row["start"] : row["end"]]
    articles, curated = data / "articles", data / "curated"
    (articles / f"{CURATED_ID}.txt").write_text(article, encoding="utf-8")
    (articles / f"{CURATED_ID}.json").write_text(
        json.dumps(
            {
                "title": f"Sidecar {PAYLOADS[1]}",
                "date": PAYLOADS[4],
                "outlet": PAYLOADS[5],
                "source": PAYLOADS[3],
            }
        ),
        encoding="utf-8",
    )
    _csv(curated / f"{CURATED_ID}.statements.csv", rows)
    keywords = ";".join(["nothing", "bridge", *(p for p in PAYLOADS if ";" not in p)])
    _csv(
        curated / f"{CURATED_ID}.topics.csv",
        [
            {
                "topic": "bridge_open",
                "proposition": f"The bridge {PAYLOADS[0]} stays open",
                "keywords": keywords,
            },
            {"topic": "vote_fair", "proposition": PAYLOADS[4], "keywords": "nothing"},
        ],
    )
    _csv(
        curated / f"{CURATED_ID}.stance.csv",
        [
            {
                "id": ids[i],
                "topic": "bridge_open",
                "label": ("favor", "against", "mixed")[i % 3],
                "rationale": p,
            }
            for i, p in enumerate(PAYLOADS)
            if i % 2 == 0
        ],
    )
    roles = ["expert", "expert", "expert", "expert", "official", "other", "expert", "official"]
    _csv(
        curated / f"{CURATED_ID}.speakers.csv",
        [{"speaker": s, "role": r} for s, r in zip(names, roles, strict=True)],
    )
    return CURATED_ID


def write_text_article(folder: Path) -> Path:
    """An uncurated .txt article (no sidecar): hostile title line, payloads in quotes and affiliations."""
    lines = [title_line(), ""]
    for i, payload in enumerate(PAYLOADS):
        name = NAMES[i % len(NAMES)]
        lines += [f"“Nothing {payload} here,” said {name}, a professor at {PAYLOADS[-1 - i]}.", ""]
    path = folder / "hostile-story.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def write_html_page(folder: Path) -> Path:
    """A saved web page whose text carries every payload (entity-escaped in the HTML, as a site would)."""
    body = "".join(
        f"<p>“We will not give in {html.escape(payload)} at all,” said Mayor {NAMES[i % len(NAMES)]} "
        f"of {html.escape(PAYLOADS[-1 - i])}.</p>\n"
        for i, payload in enumerate(PAYLOADS)
    )
    page = (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>Town page {html.escape(PAYLOADS[0])} {html.escape(PAYLOADS[1])}</title>"
        "<script>alert('page script')</script></head><body><article>"
        f"<h1>Town page {html.escape(PAYLOADS[0])}</h1>\n{body}"
        "<p>Raw markup in the page: <img src=x onerror=alert(1)><svg onload=alert(1)></svg></p>"
        "</article></body></html>"
    )
    path = folder / "hostile-page.html"
    path.write_text(page, encoding="utf-8")
    return path


class Parsed(HTMLParser):
    """Tags, attributes and text of an HTML fragment as a browser's tokenizer sees them."""

    def __init__(self, fragment: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text = ""
        self.feed(str(fragment))  # plain str: Markup would escape the pieces again
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        self.text += data

    def values(self, name: str) -> list[str]:
        return [attrs[name] for _, attrs in self.tags if name in attrs]


def hostile_analysis(payload: str):
    """An analysis whose every article-given string is ``payload``: title, date, speaker, text, topic."""
    from utils.analysis import build_analysis
    from utils.articles import Article
    from utils.curation import Curation

    quote = f"great {payload} wonderful"
    text = f"{payload}\n\n“{quote}” said Ann Lee.\n"
    ident = re.sub(r"\s+", "/", payload)
    statements = pd.DataFrame(
        [{"id": ident, "speaker": payload, "affiliation": payload, "kind": "direct", "text": quote,
          "start": text.index(quote), "end": text.index(quote) + len(quote), "cue": "said",
          "reviewed_by": payload}]
    )  # fmt: skip
    curation = Curation(
        article=Article("hostile", payload, text, meta={"date": payload, "outlet": payload}),
        statements=statements,
        topics=pd.DataFrame({"topic": ["t"], "proposition": [payload], "keywords": [payload]}),
        stance=pd.DataFrame({"id": [ident], "topic": ["t"], "label": ["against"], "rationale": [payload]}),
        speakers=pd.DataFrame({"speaker": [payload], "role": ["expert"]}),
        curated=True,
    )
    return build_analysis(curation)


def _csv(path: Path, rows: list[dict]) -> None:
    pd.DataFrame(rows).to_csv(path, index=False, encoding="utf-8")
